import { DynamicModule, Module } from '@nestjs/common';
import type { DuffyConfig } from '@app/config';
import { DUFFY_CONFIG } from './config.token';
import { ListPoolsController } from './pools/list-pools.controller';

@Module({})
export class ApiModule {
  static withConfig(config: DuffyConfig): DynamicModule {
    return {
      module: ApiModule,
      controllers: [ListPoolsController],
      providers: [{ provide: DUFFY_CONFIG, useValue: config }],
    };
  }
}
