package sim.cassandra.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@code speculative_retry} values parsed as cassandra-all 5.0's SpeculativeRetryPolicy.fromString parses them
 * (test scope): the same policy, printed the same way, or the same error message, hybrid MIN(…)/MAX(…) values
 * included.
 */
class SpeculativeRetryPolicyAgreementProperties {
  @Property(tries = 1000)
  void parsesAsCassandraDoes(@ForAll("values") String value) {
    assertEquals(real(value), ours(value), "speculative_retry = '" + value + "'");
  }

  @Example
  void theDefaultAndTheUsualFormsReadAsCassandraPrintsThem() {
    assertEquals("ok 99p", real("99PERCENTILE"));
    assertEquals(real("99PERCENTILE"), ours("99PERCENTILE"));
    assertEquals("ok 50ms", ours("50.7ms"));
    assertEquals("ok NEVER", ours("none"));
    assertEquals("error Invalid value 100p for PERCENTILE option 'speculative_retry': must be between (0.0 and 100.0)", ours("100p"));
    assertEquals(real("100p"), ours("100p"));
    assertEquals(real("sometimes"), ours("sometimes"));
    assertEquals("ok MIN(99p,50ms)", ours("min(99p, 50ms)"));
    assertEquals(real("min(99p, 50ms)"), ours("min(99p, 50ms)"));
    assertEquals(real("MAX(10ms,20ms)"), ours("MAX(10ms,20ms)"));
  }

  private static String real(String value) {
    try {
      return "ok " + org.apache.cassandra.service.reads.SpeculativeRetryPolicy.fromString(value);
    } catch (RuntimeException e) {
      return "error " + e.getMessage();
    }
  }

  private static String ours(String value) {
    try {
      return "ok " + SpeculativeRetryPolicy.parse(value);
    } catch (IllegalArgumentException e) {
      return "error " + e.getMessage();
    }
  }

  @Provide
  Arbitrary<String> values() {
    Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.integers().between(0, 150).map(String::valueOf),
        Arbitraries.doubles().between(0, 120).ofScale(5).map(String::valueOf), Arbitraries.of("", ".", "1.2.3", "99.", ".5", "007"));
    Arbitrary<String> unit = Arbitraries.of("p", "P", "percentile", "PERCENTILE", "ms", "MS", "s", "", "pp", "m");
    Arbitrary<String> numeric = Combinators.combine(number, unit).as(String::concat);
    Arbitrary<String> word = Arbitraries.of("ALWAYS", "always", "NONE", "none", "NEVER", "Never", "sometimes", "99 p", " 99p", "99p ", "-1p", "-5ms");
    Arbitrary<String> fun = Arbitraries.of("MIN", "max", "Min", "AVG");
    Arbitrary<String> space = Arbitraries.of("", " ", "  ");
    Arbitrary<String> hybrid = Combinators.combine(fun, numeric, space, numeric).as((f, a, sp, b) -> f + "(" + a + "," + sp + b + ")");
    return Arbitraries.oneOf(numeric, word, hybrid);
  }
}
