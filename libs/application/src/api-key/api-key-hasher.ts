import { Inject, Injectable, Optional } from '@nestjs/common';
import { hash } from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { API_KEY_HASH_COST } from '../tokens';

/** New API keys are UUIDs (compat §1.2); only their bcrypt hash is ever stored. */
@Injectable()
export class ApiKeyHasher {
  constructor(@Optional() @Inject(API_KEY_HASH_COST) private readonly cost: number = 12) {}

  generate(): string {
    return randomUUID();
  }

  hash(apiKey: string): Promise<string> {
    return hash(apiKey, this.cost);
  }
}
