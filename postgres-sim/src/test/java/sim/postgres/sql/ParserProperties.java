package sim.postgres.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import sim.postgres.sql.Ast.Select;

class ParserProperties {
  @Provide
  Arbitrary<String> sqlish() {
    Arbitrary<String> words = Arbitraries.of("select", "*", "from", "test", "where", "id", "=", "1", "(", ")",
        ",", "'a'", "and", "or", "not", "in", "update", "set", "value", "insert", "into", "values", "for",
        "share", "order", "by", "desc", "begin", "commit", "is", "null", "-", "%", "'", "\"x", ";", "@");
    return words.list().ofMaxSize(12).map(l -> String.join(" ", l));
  }

  @Property(tries = 2000)
  void anyInputParsesOrFailsWithAnSqlState(@ForAll("sqlish") String sql) {
    try {
      Parser.parse(sql);
    } catch (SqlException e) {
      assertEquals(5, e.sqlState().length(), sql);
    }
  }

  @Property
  void integerLiteralsRoundTrip(@ForAll long v) {
    if (v == Long.MIN_VALUE) return; // 9223372036854775808 does not fit in int8 before the minus applies
    Select s = (Select) Parser.parse("select " + v);
    Ast.Expr e = s.items().get(0).expr();
    assertEquals(new Ast.Literal(v), e);
  }

  @Test
  void errorsNameTheTokenLikePostgres() {
    assertEquals("syntax error at or near \"selec\"", message("selec * from test"));
    assertEquals("syntax error at end of input", message("select * from test where"));
    assertEquals("syntax error at or near \"from\"", message("select from from test"));
    assertInstanceOf(Ast.Begin.class, Parser.parse("BEGIN ISOLATION LEVEL REPEATABLE READ"));
    assertEquals(Ast.RowLockMode.KEY_SHARE, ((Select) Parser.parse("select * from t for key share")).lockMode());
  }

  private static String message(String sql) {
    try {
      Parser.parse(sql);
      return "parsed";
    } catch (SqlException e) {
      return e.getMessage();
    }
  }
}
