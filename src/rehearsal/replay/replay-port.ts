/** Port of `rove-sim replay --serve` unless `--port` says otherwise (its own module: the CLI help names it). */
export const DEFAULT_REPLAY_PORT = 8070;
