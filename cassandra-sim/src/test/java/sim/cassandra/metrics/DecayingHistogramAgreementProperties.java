package sim.cassandra.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.cassandra.metrics.DecayingEstimatedHistogramReservoir;
import org.apache.cassandra.utils.MonotonicClock;
import org.apache.cassandra.utils.MonotonicClockTranslation;
import org.junit.jupiter.api.Test;

/**
 * Our coordinator read latency histogram against cassandra-all 5.0's own DecayingEstimatedHistogramReservoir
 * (test scope), driven by the same clock: the same bucket bounds, and the same value at the quantiles the
 * {@code speculative_retry} policies ask for, after the same latencies recorded at the same moments.
 */
class DecayingHistogramAgreementProperties {
  /** A settable clock for Cassandra's reservoir: the simulation's time, in nanoseconds. */
  static final class TestClock implements MonotonicClock {
    long nowNanos;

    @Override
    public long now() {
      return nowNanos;
    }

    @Override
    public long error() {
      return 0;
    }

    @Override
    public MonotonicClockTranslation translate() {
      throw new UnsupportedOperationException("not needed by the reservoir");
    }

    @Override
    public boolean isAfter(long instant) {
      return nowNanos > instant;
    }

    @Override
    public boolean isAfter(long now, long instant) {
      return now > instant;
    }
  }

  record Sample(long valueMicros, long afterMs) {}

  @Test
  void bucketBoundsAreCassandras() {
    assertArrayEquals(DecayingEstimatedHistogramReservoir.DEFAULT_WITHOUT_ZERO_BUCKET_OFFSETS, DecayingHistogram.bucketOffsets());
    assertEquals(DecayingEstimatedHistogramReservoir.MEAN_LIFETIME_IN_S, DecayingHistogram.MEAN_LIFETIME_IN_S);
  }

  @Property(tries = 300)
  void quantilesAgreeWithCassandrasReservoir(@ForAll("samples") @Size(min = 1, max = 400) List<Sample> samples,
      @ForAll("quantiles") double quantile) {
    TestClock clock = new TestClock();
    clock.nowNanos = 1_000_000_000L;
    DecayingEstimatedHistogramReservoir real = new DecayingEstimatedHistogramReservoir(clock);
    DecayingHistogram ours = new DecayingHistogram(clock.nowNanos);
    for (Sample s : samples) {
      clock.nowNanos += s.afterMs() * 1_000_000L;
      real.update(s.valueMicros());
      ours.update(s.valueMicros(), clock.nowNanos);
    }
    assertEquals((long) real.getPercentileSnapshot().getValue(quantile), ours.value(quantile, clock.nowNanos),
        "quantile " + quantile + " after " + samples.size() + " samples");
    assertEquals(real.getPercentileSnapshot().size(), ours.size(clock.nowNanos), "decayed count");
  }

  @Provide
  Arbitrary<List<Sample>> samples() {
    // latencies from a microsecond to ten seconds (log-spread: most reads are fast, some hit a timeout), gaps up to two
    // minutes so the forward-decay weight grows past 1 within a run
    Arbitrary<Long> value = Arbitraries.oneOf(Arbitraries.longs().between(0, 20_000), Arbitraries.longs().between(0, 10_000_000));
    Arbitrary<Long> gap = Arbitraries.oneOf(Arbitraries.longs().between(0, 50), Arbitraries.longs().between(0, 120_000));
    return Combinators.combine(value, gap).as(Sample::new).list();
  }

  @Provide
  Arbitrary<Double> quantiles() {
    return Arbitraries.of(0.5, 0.75, 0.95, 0.99, 0.999);
  }
}
