"""City-scale benchmarks. `make bench` runs every module here that has ``run()``.

Benchmarks report numbers (median, p95); they assert nothing. They use their own PostgreSQL
database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/jisik_bench), built
once and kept between runs, so a second `make bench` skips the data generation.
"""
