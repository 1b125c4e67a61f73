import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { duffyMetrics } from '@app/observability';
import { NoAuth } from '../../auth/auth-mode.decorator';

interface TextResponse {
  setHeader(name: string, value: string): void;
}

/**
 * GET /metrics (outside /api/v1, as Prometheus expects): the process's metrics in the text
 * format. Public like /health: counts and durations, no tenant, host or id.
 */
@ApiExcludeController()
@NoAuth()
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res({ passthrough: true }) res: TextResponse): Promise<string> {
    const metrics = duffyMetrics();
    const text = await metrics.scrape();
    res.setHeader('Content-Type', metrics.contentType);
    return text;
  }
}
