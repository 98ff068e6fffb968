// Grows without bound; the host's 64 MiB linear-memory cap stops it.
const chunks = [];
for (;;) chunks.push(new Array(1 << 18).fill(1.5));
