"""causal-learn's side of `npm run bench -- pc-peer` (and of the PC difference fixtures): one pc() call as
its own process on a CSV written by PersonaX, printing the graph (cg.G.graph) as JSON.

Usage: PYTHONPATH=<causal-learn checkout>[:<momentchi2 src>] OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
       python3 bench/pc-peer-causallearn.py <csv> <test> <uc_rule> <uc_priority> <max_k|none>
"""
import json
import sys
import time

import numpy as np
from causallearn.search.ConstraintBased.PC import pc
from causallearn.utils.cit import chisq, fisherz, gsq

csv, test, uc_rule, uc_priority, max_k = sys.argv[1:6]
data = np.loadtxt(csv, delimiter=",", skiprows=1)
started = time.perf_counter()
cg = pc(data, 0.05, {"chisq": chisq, "gsq": gsq, "fisherz": fisherz}[test], True, int(uc_rule), int(uc_priority),
        show_progress=False, max_k=None if max_k == "none" else int(max_k))
print(json.dumps({"graph": cg.G.graph.astype(int).tolist(), "pc_seconds": time.perf_counter() - started}))
