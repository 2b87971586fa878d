{
  "targets": [
    {
      "target_name": "personax_linalg",
      "sources": ["src/addon.c", "src/elementwise.c", "src/parallel.c"],
      "include_dirs": ["/usr/include/x86_64-linux-gnu/openblas-pthread", "/usr/include/x86_64-linux-gnu", "/usr/include"],
      "libraries": ["-lopenblas", "-llapacke", "-lpthread"],
      "cflags": ["-O3", "-std=c11", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd"],
      "ldflags": []
    }
  ]
}
