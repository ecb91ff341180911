package sim.redis.keyspace;

/**
 * hllCount's cardinality estimator (hyperloglog.c, 7.0): Otmar Ertl's improved raw estimator over the histogram
 * of register values (arXiv:1702.01284), the one Redis uses since 5.0, with no bias-correction tables.
 */
final class HllEstimator {
  private HllEstimator() {}

  private static final double ALPHA_INF = 0.721347520444481703680;

  /** hllCount's estimator (Ertl, arXiv:1702.01284). */
  static long estimate(int[] reghisto) {
    double m = Hll.REGISTERS;
    double z = m * tau((m - reghisto[Hll.Q + 1]) / m);
    for (int j = Hll.Q; j >= 1; --j) {
      z += reghisto[j];
      z *= 0.5;
    }
    z += m * sigma(reghisto[0] / m);
    return Math.round(ALPHA_INF * m * m / z);
  }

  static double sigma(double x) {
    if (x == 1.) return Double.POSITIVE_INFINITY;
    double zPrime;
    double y = 1;
    double z = x;
    do {
      x *= x;
      zPrime = z;
      z += x * y;
      y += y;
    } while (zPrime != z);
    return z;
  }

  static double tau(double x) {
    if (x == 0. || x == 1.) return 0.;
    double zPrime;
    double y = 1.0;
    double z = 1 - x;
    do {
      x = Math.sqrt(x);
      zPrime = z;
      y *= 0.5;
      z -= (1 - x) * (1 - x) * y;
    } while (zPrime != z);
    return z / 3;
  }
}
