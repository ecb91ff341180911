package sim.postgres.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import sim.postgres.replication.SyncStandbyNames.Method;

/**
 * synchronous_standby_names against PostgreSQL's grammar (syncrep_gram.y) and scanner (syncrep_scanner.l):
 * any sentence the grammar derives, written with any spacing and keyword case, parses to what
 * create_syncrep_config builds from it; the grammar's corner cases (keywords, numbers as names, quoted
 * identifiers, junk) parse or fail as they do in PostgreSQL.
 */
class SyncStandbyNamesProperties {
  /** A derivation of standby_config: which production, its NUM, and the standby names as the parser yields them. */
  record Config(String production, int num, List<String> names, List<String> written) {}

  @Property(tries = 500)
  void everySentenceOfTheGrammarParsesToItsConfig(@ForAll("configs") Config c, @ForAll("spacing") List<String> spaces,
      @ForAll("keywordCase") String keyword) {
    String text = render(c, spaces, keyword);
    SyncStandbyNames parsed = SyncStandbyNames.parse(text);
    Method method = c.production().equals("ANY") ? Method.ANY : Method.FIRST;
    assertEquals(new SyncStandbyNames(method, c.production().equals("LIST") ? 1 : c.num(), c.names()), parsed, "<" + text + ">");
  }

  @Property(tries = 500)
  void anyTextParsesOrFailsWithAnInvalidValueError(@ForAll("junk") String text) {
    try {
      SyncStandbyNames.parse(text);
    } catch (IllegalArgumentException expected) {
      // the GUC check hook's error: the only way parsing may fail
    }
  }

  @Example
  void cornerCasesOfTheGrammar() {
    assertNull(SyncStandbyNames.parse(""));
    assertEquals(cfg(Method.FIRST, 1, "s1", "s2"), SyncStandbyNames.parse("s1, s2"));
    assertEquals(cfg(Method.FIRST, 2, "s1", "s2"), SyncStandbyNames.parse("2 (s1, s2)"));
    assertEquals(cfg(Method.FIRST, 1, "1", "2"), SyncStandbyNames.parse("1, 2")); // NUM is a standby_name too
    assertEquals(cfg(Method.FIRST, 1, "2"), SyncStandbyNames.parse("2"));
    assertEquals(cfg(Method.ANY, 2, "*"), SyncStandbyNames.parse("any 2(*)"));
    assertEquals(cfg(Method.FIRST, 1, "first"), SyncStandbyNames.parse("FIRST 1 (\"first\")")); // quoted: not the keyword
    assertEquals(cfg(Method.FIRST, 1, "firsts", "anyone"), SyncStandbyNames.parse("firsts,anyone")); // longest match
    assertEquals(cfg(Method.FIRST, 1, "a\"b", "my standby", "x,y"), SyncStandbyNames.parse("\"a\"\"b\", \"my standby\", \"x,y\""));
    assertEquals(cfg(Method.FIRST, 1, "S1_$x"), SyncStandbyNames.parse("S1_$x")); // case kept; matching ignores it
    assertEquals(1, SyncStandbyNames.parse("S1").priority("s1"));
    for (String bad : List.of(" ", "first", "any", "FIRST 1 (first)", "s1 s2", "FIRST (s1)", "(s1)", "s1,", ",s1", "1 (s1",
        "1 s1)", "s1-x", "2s1", "ANY 1 s1", "\"unterminated", "FIRST 1 (s1) s2", "s1, (s2)")) {
      assertThrows(IllegalArgumentException.class, () -> SyncStandbyNames.parse(bad), "<" + bad + "> should be a syntax error");
    }
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> SyncStandbyNames.parse("ANY 0 (s1)"));
    assertEquals("number of synchronous standbys (0) must be greater than zero", zero.getMessage());
  }

  private static SyncStandbyNames cfg(Method m, int n, String... names) {
    return new SyncStandbyNames(m, n, List.of(names));
  }

  @Provide
  Arbitrary<Config> configs() {
    Arbitrary<String> production = Arbitraries.of("LIST", "NUM", "FIRST", "ANY");
    Arbitrary<Integer> num = Arbitraries.integers().between(1, 9);
    Arbitrary<List<String[]>> names = standbyName().list().ofMinSize(1).ofMaxSize(4);
    return Combinators.combine(production, num, names).as((p, n, ns) -> {
      List<String> parsed = new ArrayList<>();
      List<String> written = new ArrayList<>();
      for (String[] name : ns) {
        parsed.add(name[0]);
        written.add(name[1]);
      }
      return new Config(p, n, parsed, written);
    });
  }

  /** standby_name: NAME (identifier, quoted identifier, *) or NUM, as {what the parser yields, how it is written}. */
  private static Arbitrary<String[]> standbyName() {
    Arbitrary<String> identifier = Combinators.combine(
        Arbitraries.strings().withChars("abcXYZ_é").ofMinLength(1).ofMaxLength(1),
        Arbitraries.strings().withChars("abcXYZ_é019$").ofMaxLength(6)).as((a, b) -> a + b)
        .filter(s -> !s.equalsIgnoreCase("any") && !s.equalsIgnoreCase("first"));
    Arbitrary<String[]> plain = identifier.map(s -> new String[] {s, s});
    Arbitrary<String[]> quoted = Arbitraries.strings().withChars("ab \"(),*1").ofMaxLength(6)
        .map(s -> new String[] {s, "\"" + s.replace("\"", "\"\"") + "\""});
    Arbitrary<String[]> number = Arbitraries.integers().between(0, 999).map(i -> new String[] {"" + i, "" + i});
    Arbitrary<String[]> star = Arbitraries.just(new String[] {"*", "*"});
    return Arbitraries.oneOf(plain, quoted, number, star);
  }

  @Provide
  Arbitrary<List<String>> spacing() {
    return Arbitraries.of("", " ", "  ", "\t", "\n ").list().ofSize(16);
  }

  @Provide
  Arbitrary<String> keywordCase() {
    return Arbitraries.of("lower", "UPPER", "Mixed");
  }

  @Provide
  Arbitrary<String> junk() {
    return Arbitraries.strings().withChars("aAnyFIRST 12(),*\"-$_\t").ofMaxLength(20);
  }

  /** Tokens separated by the given spacing; a word next to a word (or number) always gets at least one space. */
  static String render(Config c, List<String> spaces, String keywordCase) {
    List<String> tokens = new ArrayList<>();
    if (!c.production().equals("LIST")) {
      if (!c.production().equals("NUM")) tokens.add(keyword(c.production(), keywordCase));
      tokens.add("" + c.num());
      tokens.add("(");
    }
    for (int i = 0; i < c.written().size(); i++) {
      if (i > 0) tokens.add(",");
      tokens.add(c.written().get(i));
    }
    if (!c.production().equals("LIST")) tokens.add(")");
    StringBuilder b = new StringBuilder(spaces.get(0));
    for (int i = 0; i < tokens.size(); i++) {
      if (i > 0) {
        String sep = spaces.get(i % spaces.size());
        if (sep.isEmpty() && wordy(tokens.get(i - 1)) && wordy(tokens.get(i))) sep = " ";
        b.append(sep);
      }
      b.append(tokens.get(i));
    }
    return b.append(spaces.get(tokens.size() % spaces.size())).toString();
  }

  private static boolean wordy(String token) {
    return !token.equals("(") && !token.equals(")") && !token.equals(",") && !token.startsWith("\"") && !token.equals("*");
  }

  private static String keyword(String k, String style) {
    return switch (style) {
      case "lower" -> k.toLowerCase(Locale.ROOT);
      case "UPPER" -> k;
      default -> k.charAt(0) + k.substring(1).toLowerCase(Locale.ROOT);
    };
  }
}
