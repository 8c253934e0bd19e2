// Preloaded (`node --require`) into each process `npm start` runs (scripts/start.ts): the
// console's server, the demo agents and the probe simulator. When `npm start` is killed
// outright (SIGKILL, the out-of-memory killer), no signal reaches them, and they would serve on
// as orphans, holding their ports, so that the next start fails. Once their parent is no longer
// the process named by CATCHMENT_PARENT_PID, they get SIGTERM: each one's own orderly stop.
//
// The parent's pid comes from the parent, not from `process.ppid` at load: a parent killed
// while the child was still loading would otherwise be taken for init, and never missed.
const parent = Number(process.env.CATCHMENT_PARENT_PID);

if (parent) {
  const check = () => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    process.kill(process.pid, "SIGTERM");
  };
  const timer = setInterval(check, 1000);
  // It must not keep a process alive that is done otherwise.
  timer.unref();
  check();
}
