for (const [k, v] of Object.entries(process.env)) console.log(`${k}=${v}`);
