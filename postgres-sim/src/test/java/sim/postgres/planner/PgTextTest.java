package sim.postgres.planner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** float4out, array_out and printf's %.2f as PostgreSQL 15 prints them (values checked on a real server). */
class PgTextTest {
  @Test
  void float4UsesShortestDigitsAndExponentsOutsideMinusFourToFive() {
    assertEquals("0.0001", PgText.float4(0.0001f));
    assertEquals("1e-05", PgText.float4(0.00001f));
    assertEquals("1.234567e+06", PgText.float4(1234567f));
    assertEquals("1.2345678e+07", PgText.float4(12345678f));
    assertEquals("0.33333334", PgText.float4(1f / 3));
    assertEquals("-1", PgText.float4(-1f));
    assertEquals("0.00952381", PgText.float4((float) (100.0 / 10500)));
  }

  @Test
  void arraysQuoteWhatArrayInWouldMisread() {
    assertEquals("{1,2,3}", PgText.array(List.of(1L, 2L, 3L)));
    assertEquals("{t,f}", PgText.array(List.of(true, false)));
    assertEquals("{\"\",\"a b\",\"NULL\",x}", PgText.array(Arrays.asList("", "a b", "NULL", "x")));
  }

  @Test
  void fixedRoundsTheExactBinaryValueHalfEven() {
    assertEquals("0.12", PgText.fixed(0.125, 2), "0.125 is exact in binary: half-even, as glibc");
    assertEquals("8.30", PgText.fixed(8.295000000000002, 2));
    assertEquals("100", PgText.fixed(99.5, 0));
  }
}
