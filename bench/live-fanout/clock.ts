/**
 * One clock for every process of the benchmark: CLOCK_MONOTONIC, in
 * microseconds. The writer stamps intended commit times with it and the load
 * generators read receipt times from it; being the same kernel clock in every
 * process, the difference is a latency even across processes, with no
 * wall-clock step or NTP slew in it. performance.now() runs on the same clock
 * (libuv's hrtime) minus a per-process origin, which is measured once here.
 */
const origin = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;

export function monotonicMicros(): number {
  return Math.round(origin + performance.now() * 1000);
}
