package sim.core;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A named, seeded random stream. Streams are derived from the root seed and their name only, so adding a
 * stream (or drawing more from one) never changes what another stream produces.
 */
public final class SimRandom {
  private final String name;
  private final SplittableRandom random;

  SimRandom(long rootSeed, String name) {
    this.name = name;
    this.random = new SplittableRandom(derive(rootSeed, name));
  }

  /** A stream outside any simulation (tools, benchmarks); inside one, use {@code Simulation.random}. */
  public static SimRandom of(long rootSeed, String name) {
    return new SimRandom(rootSeed, name);
  }

  /** SplitMix64 finalizer over the root seed and a 64-bit FNV-1a hash of the stream's name. */
  static long derive(long rootSeed, String name) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < name.length(); i++) {
      h ^= name.charAt(i);
      h *= 0x100000001b3L;
    }
    long z = rootSeed ^ h;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  public String name() {
    return name;
  }

  public long nextLong() {
    return random.nextLong();
  }

  /** Uniform in [0, bound). */
  public int nextInt(int bound) {
    return random.nextInt(bound);
  }

  /** Uniform in [origin, bound). */
  public long nextLong(long origin, long bound) {
    return origin == bound ? origin : random.nextLong(origin, bound);
  }

  public double nextDouble() {
    return random.nextDouble();
  }

  /** True with probability {@code p}. Draws nothing when p is 0 or 1, so a disabled fault costs no randomness. */
  public boolean chance(double p) {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return random.nextDouble() < p;
  }

  public <T> T pick(List<T> items) {
    Check.argument(!items.isEmpty(), "cannot pick from an empty list (stream %s)", name);
    return items.get(random.nextInt(items.size()));
  }

  /** Exponentially distributed delay with the given mean: the gap between independent random events. */
  public long exponentialNanos(long meanNanos) {
    double u = 1.0 - random.nextDouble();
    return Math.max(1, Math.round(-Math.log(u) * meanNanos));
  }
}
