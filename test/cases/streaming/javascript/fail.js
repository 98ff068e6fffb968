console.log('partial');
throw new Error('stream failure');
