// There are no processes in the sandbox: the modules that start them do not exist, as for a Node built without them.
for (const name of ['child_process', 'node:child_process', 'cluster', 'worker_threads']) {
  try {
    require(name);
    console.log(name, 'loaded');
  } catch (e) {
    console.log(name, e.code);
  }
}
