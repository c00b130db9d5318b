// quick: run the current CLI with latency and print the bound breakdown
process.env.PAPER2CODE_BENCH_DEBUG = "1";
