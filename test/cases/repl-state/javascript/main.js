console.log(typeof rows, typeof f);
