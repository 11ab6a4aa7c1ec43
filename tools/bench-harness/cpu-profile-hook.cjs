// Preloaded into Stratus services through NODE_OPTIONS (`--cpu-prof` itself is not allowed there)
// to CPU-profile them without changing tools/local-cluster:
//   NODE_OPTIONS="--require $PWD/tools/bench-harness/cpu-profile-hook.cjs" STRATUS_CPU_PROFILE_DIR=/tmp/prof npm run bench -- --target stratus ...
// Only processes running a bundled app (dist/apps/<app>/main.js) are profiled; the profile is
// written as <dir>/<app>-<pid>.cpuprofile when the process exits (the services exit cleanly on SIGTERM),
// next to <app>-<pid>.js.map, a copy of the bundle's source map taken at start.
'use strict';
const dir = process.env.STRATUS_CPU_PROFILE_DIR;
const script = process.argv[1] || '';
const app = /dist\/apps\/([^/]+)\/main\.js$/.exec(script);
if (dir && app) {
  const { Session } = require('node:inspector');
  const { mkdirSync, writeFileSync } = require('node:fs');
  const { join } = require('node:path');
  // Keep the source map of the build this process runs: the apps may be rebuilt before the
  // profile is summarised, and profile-summary.ts reads <profile>.js.map first.
  try {
    const { copyFileSync } = require('node:fs');
    mkdirSync(dir, { recursive: true });
    copyFileSync(`${script}.map`, join(dir, `${app[1]}-${process.pid}.js.map`));
  } catch {
    // No source map: frames of the bundle stay unattributed to libraries.
  }
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    // An in-process inspector session answers synchronously, so this completes inside 'exit'.
    session.post('Profiler.stop', (error, result) => {
      if (error || !result) return;
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${app[1]}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
