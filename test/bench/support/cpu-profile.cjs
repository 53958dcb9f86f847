// A CPU profile of a benchmark's process, taken from inside it: preloaded with
// `NODE_OPTIONS=--require <this file>` when CPU_PROFILE_DIR is set. Profiles CPU_PROFILE_MS (default
// 15 s) after CPU_PROFILE_DELAY_MS (default 0), or once the file CPU_PROFILE_TRIGGER exists (a
// benchmark touches it when its measured phase starts), and writes `<dir>/<name>-<pid>.cpuprofile`
// (name: CPU_PROFILE_NAME or the script's). Neither `--cpu-prof` (written only at a clean exit, which
// a process stopped by a signal never makes) nor a signal (Nest's shutdown hooks take SIGUSR2) will do.
'use strict';
const dir = process.env.CPU_PROFILE_DIR;
if (dir) {
  const fs = require('node:fs');
  const path = require('node:path');
  const inspector = require('node:inspector');
  const delay = Number(process.env.CPU_PROFILE_DELAY_MS ?? 0);
  const length = Number(process.env.CPU_PROFILE_MS ?? 15_000);
  const name = process.env.CPU_PROFILE_NAME ?? path.basename(process.argv[1] ?? 'node', '.js');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res))));
  const trigger = process.env.CPU_PROFILE_TRIGGER;
  const begin = (fn) => {
    if (!trigger) return void setTimeout(fn, delay).unref();
    const poll = setInterval(() => {
      if (!fs.existsSync(trigger)) return;
      clearInterval(poll);
      fn();
    }, 100);
    poll.unref();
  };
  begin(async () => {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 1000 });
    await post('Profiler.start');
    setTimeout(async () => {
      const { profile } = await post('Profiler.stop');
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, `${name}-${process.pid}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`cpu profile written: ${file}\n`);
    }, length).unref();
  });
}
