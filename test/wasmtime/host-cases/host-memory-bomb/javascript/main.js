// Grows without bound (1 MiB buffers from the engine's malloc); the host's 64 MiB linear-memory cap stops it.
const chunks = [];
for (;;) chunks.push(new Uint8Array(1 << 20));
