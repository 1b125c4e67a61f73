import { duffyMetrics, GaugeSource } from './duffy-metrics';
import { LogAfterReader, logLag } from './log-lag';

/** `duffy_projection_lag_events/seconds{projection}`: the log after the projection's checkpoint. */
export function projectionLagSource(
  store: LogAfterReader,
  projection: string,
  checkpoint: () => Promise<number>,
): GaugeSource {
  return async () => {
    const lag = await logLag(store, await checkpoint());
    duffyMetrics().projectionLagEvents.set({ projection }, lag.events);
    duffyMetrics().projectionLagSeconds.set({ projection }, lag.seconds);
  };
}

/** `duffy_relay_lag_events`: the log after what JetStream acknowledged. */
export function relayLagSource(store: LogAfterReader, published: () => number): GaugeSource {
  return async () => {
    duffyMetrics().relayLagEvents.set((await logLag(store, published())).events);
  };
}
