package sim.postgres.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** avg's numeric_div: the scale select_div_scale picks, as PostgreSQL 15 prints it (checked in psql). */
class NumericDivTest {
  static String avg(long sum, long count) {
    return NumericDiv.divide(BigInteger.valueOf(sum), BigInteger.valueOf(count)).toPlainString();
  }

  @Test
  void atLeastSixteenSignificantDigits() {
    assertEquals("1.5000000000000000", avg(3, 2));
    assertEquals("499.5000000000000000", avg(9_990_000, 20_000));
    assertEquals("2.0000000000000000", avg(8, 4));
    assertEquals("0.00000000000000000000", avg(0, 5));
    assertEquals("-1.5000000000000000", avg(-3, 2));
    assertEquals("0.33333333333333333333", avg(1, 3));
  }
}
