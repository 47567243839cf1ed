// Entry of the worker thread that takes runs of `rehearse --runs` beside the main thread (run-series.ts). Plain
// JavaScript because a worker starts without the TypeScript loader of the thread that made it: it registers tsx the
// way bin/rove-sim.js does, then loads the TypeScript side.
import { register } from 'tsx/esm/api';

register();
await import('./series-worker.ts');
