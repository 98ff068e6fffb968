// 2 MiB to each of stdout and stderr, then an exit code: past 1 MiB the output is cut with a marker and the
// program keeps running to its end.
const line = 'x'.repeat(1023) + '\n';
for (let i = 0; i < 2048; i++) process.stdout.write(line);
for (let i = 0; i < 2048; i++) process.stderr.write(line);
process.exitCode = 3;
