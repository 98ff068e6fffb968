(async () => {
  try {
    const r = await fetch('http://example.com/');
    console.log('REACHED', r.status);
  } catch (e) {
    console.log('network refused:', e.message);
  }
  for (const m of ['http', 'https', 'net', 'child_process']) {
    try { require(m); console.log('REACHED', m); } catch (e) { console.log('network refused:', e.message.split('\n')[0]); }
  }
})();
