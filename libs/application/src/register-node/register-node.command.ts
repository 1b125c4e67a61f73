import { Command } from '@nestjs/cqrs';
import { NodeState } from '@app/domain';

/** POST /nodes (admin): an existing machine joins as `unused`. */
export class RegisterNodeCommand extends Command<NodeState> {
  constructor(
    readonly hostname: string,
    readonly ipaddr: string,
    readonly options: {
      comment?: string | null;
      pool?: string | null;
      /** compat: POST /nodes defaults to true. */
      reusable?: boolean;
      data?: Record<string, unknown>;
      actor?: string;
    } = {},
  ) {
    super();
  }
}
