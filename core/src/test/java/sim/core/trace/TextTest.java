package sim.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** What a printed trace line does with raw bytes a model put in a detail. */
class TextTest {
  @Test
  void controlCharactersArePrintedAsHexEscapes() {
    assertEquals("RESTORE k 0 \\x00\\x0e\\x1b[2J\\x7f\\x9bÀé", Text.printable("RESTORE k 0 \u0000\u000e\u001b[2J\u007f\u009bÀé"));
  }

  @Test
  void lineBreaksAndPrintableTextAreKeptAsTheyAre() {
    String detail = "two lines\nof plain text, Latin-1 letters éà";
    assertSame(detail, Text.printable(detail));
  }

  @Test
  void theEventLineOfADetailWithRawBytesIsOneReadableLine() {
    EventFormat f = new EventFormat(3, 10, 0, false);
    assertEquals("[      1ms] m1  redis.call RESTORE k \\x00\\x01", f.line("1ms", "m1", "redis.call", "RESTORE k \u0000\u0001"));
  }
}
