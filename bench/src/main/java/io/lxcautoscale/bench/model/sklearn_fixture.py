#!/usr/bin/env python3
"""Writes the scikit-learn parity fixture for the model's isolation forest.

Run once, from the repository root, with a Python that has scikit-learn (Debian: apt-get install
python3-sklearn; run it with /usr/bin/python3):

    /usr/bin/python3 bench/src/main/java/io/lxcautoscale/bench/model/sklearn_fixture.py \
        model/src/test/resources/forest/sklearn_parity.csv

The data: 1000 rows of 4 standardised features: a two-cluster "normal" load plus 40 outliers. The
scores come from the original's configuration, IsolationForest(n_estimators=100, max_samples=64,
contamination=0.05, random_state=42). The Java test (AnomalyForestParityTest) trains our forest on
the same rows and requires Spearman rank correlation >= 0.9 with -score_samples.
"""
import csv
import sys

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest


def main(out_path):
    rng = np.random.default_rng(20260818)
    a = rng.normal(loc=[0.0, 0.0, 0.0, 0.0], scale=[1.0, 0.5, 1.0, 0.3], size=(600, 4))
    b = rng.normal(loc=[3.0, 2.0, -1.0, 0.5], scale=[0.6, 0.6, 0.4, 0.3], size=(360, 4))
    outliers = rng.uniform(low=-7.0, high=9.0, size=(40, 4))
    x = np.vstack([a, b, outliers])
    x = x[rng.permutation(len(x))]

    forest = IsolationForest(n_estimators=100, max_samples=64, contamination=0.05, random_state=42)
    forest.fit(x)
    score_samples = forest.score_samples(x)
    predict = forest.predict(x)

    with open(out_path, "w", newline="") as f:
        f.write("# scikit-learn %s IsolationForest(n_estimators=100, max_samples=64, contamination=0.05, "
                "random_state=42); offset_=%.6f\n" % (sklearn.__version__, forest.offset_))
        w = csv.writer(f)
        w.writerow(["x0", "x1", "x2", "x3", "score_samples", "predict"])
        for row, s, p in zip(x, score_samples, predict):
            w.writerow(["%.6f" % v for v in row] + ["%.6f" % s, int(p)])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sklearn_parity.csv")
