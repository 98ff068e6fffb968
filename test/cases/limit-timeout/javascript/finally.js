try {
  while (true) {}
} finally {
  for (let i = 0; ; i++) {}
}
