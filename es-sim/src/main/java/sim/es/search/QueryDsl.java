package sim.es.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import sim.es.analysis.Analyzer;
import sim.es.analysis.Analyzers;
import sim.es.analysis.Token;
import sim.es.index.FieldType;
import sim.es.index.Mapping;

/**
 * Elasticsearch's query DSL, parsed into Lucene {@link Query} objects the way the query builders do it:
 * {@code match} analyses its text with the field's analyzer into one SHOULD term clause per token
 * ({@code operator: and} makes them MUST), {@code match_phrase} into a phrase, {@code term} takes its value
 * as is, {@code range} and {@code exists} read doc values. Errors name the query and field as
 * Elasticsearch's {@code parsing_exception} does.
 */
public final class QueryDsl {
  private final Mapping mapping;

  public QueryDsl(Mapping mapping) {
    this.mapping = mapping;
  }

  public static final class ParsingException extends IllegalArgumentException {
    public ParsingException(String message) {
      super(message);
    }
  }

  public Query parse(JsonNode node) {
    if (node == null || !node.isObject() || node.size() != 1) throw new ParsingException("query malformed, must start with start_object and have exactly one query type");
    Map.Entry<String, JsonNode> e = node.fields().next();
    JsonNode body = e.getValue();
    return switch (e.getKey()) {
      case "match" -> match(body);
      case "match_phrase" -> matchPhrase(body);
      case "term" -> term(body);
      case "terms" -> terms(body);
      case "bool" -> bool(body);
      case "range" -> range(body);
      case "exists" -> new Query.Exists(text(body, "field", "exists"), boost(body));
      case "match_all" -> new Query.MatchAll(boost(body));
      case "match_none" -> new Query.MatchNone(1f);
      default -> throw new ParsingException("unknown query [" + e.getKey() + "]");
    };
  }

  /** The query of {@code ./sim es search --query TEXT}: a match on {@code body}. */
  public Query match(String field, String text) {
    return matchQuery(field, text, false, 1f);
  }

  private Query match(JsonNode body) {
    Map.Entry<String, JsonNode> f = single(body, "match");
    JsonNode v = f.getValue();
    if (v.isObject()) {
      String op = v.path("operator").asText("or").toLowerCase();
      if (!op.equals("or") && !op.equals("and")) throw new ParsingException("[match] operator must be [or] or [and], got [" + op + "]");
      return matchQuery(f.getKey(), text(v, "query", "match"), op.equals("and"), boost(v));
    }
    return matchQuery(f.getKey(), v.asText(), false, 1f);
  }

  private Query matchQuery(String field, String text, boolean and, float boost) {
    FieldType type = mapping.type(field);
    if (type != null && type.numeric()) return numericTerm(field, text, boost);
    List<Query> clauses = new ArrayList<>();
    for (Token t : analyzer(field, type).tokens(text)) clauses.add(new Query.Term(field, t.term(), 1f));
    if (clauses.isEmpty()) return new Query.MatchNone(boost);
    if (clauses.size() == 1) return Searcher.withBoost(clauses.get(0), boost);
    return and ? new Query.Bool(clauses, List.of(), List.of(), List.of(), 0, boost) : new Query.Bool(List.of(), clauses, List.of(), List.of(), 0, boost);
  }

  private Query matchPhrase(JsonNode body) {
    Map.Entry<String, JsonNode> f = single(body, "match_phrase");
    JsonNode v = f.getValue();
    String text = v.isObject() ? text(v, "query", "match_phrase") : v.asText();
    float boost = v.isObject() ? boost(v) : 1f;
    List<String> terms = new ArrayList<>();
    for (Token t : analyzer(f.getKey(), mapping.type(f.getKey())).tokens(text)) terms.add(t.term());
    if (terms.isEmpty()) return new Query.MatchNone(boost);
    if (terms.size() == 1) return new Query.Term(f.getKey(), terms.get(0), boost);
    return new Query.Phrase(f.getKey(), terms, boost);
  }

  private Query term(JsonNode body) {
    Map.Entry<String, JsonNode> f = single(body, "term");
    JsonNode v = f.getValue();
    JsonNode value = v.isObject() ? v.get("value") : v;
    if (value == null) throw new ParsingException("[term] query on [" + f.getKey() + "] has no [value]");
    float boost = v.isObject() ? boost(v) : 1f;
    FieldType type = mapping.type(f.getKey());
    if (type != null && type.numeric()) return numericTerm(f.getKey(), value.asText(), boost);
    return new Query.Term(f.getKey(), value.asText(), boost);
  }

  private Query numericTerm(String field, String value, float boost) {
    double d = number(field, value, mapping.type(field));
    return new Query.Range(field, null, d, null, d, boost);
  }

  private Query terms(JsonNode body) {
    String field = null;
    JsonNode values = null;
    Iterator<Map.Entry<String, JsonNode>> it = body.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("boost")) continue;
      field = e.getKey();
      values = e.getValue();
    }
    if (field == null || !values.isArray()) throw new ParsingException("[terms] query requires a field with an array of values");
    TreeSet<String> set = new TreeSet<>();
    for (JsonNode v : values) set.add(v.asText());
    return new Query.Terms(field, set, boost(body));
  }

  private Query bool(JsonNode body) {
    if (!body.isObject()) throw new ParsingException("[bool] query malformed");
    List<Query> must = clauses(body, "must");
    List<Query> should = clauses(body, "should");
    List<Query> mustNot = clauses(body, "must_not");
    List<Query> filter = clauses(body, "filter");
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!List.of("must", "should", "must_not", "filter", "minimum_should_match", "boost").contains(n)) {
        throw new ParsingException("[bool] query does not support [" + n + "]");
      }
    }
    int msm = 0;
    if (body.has("minimum_should_match")) {
      JsonNode m = body.get("minimum_should_match");
      if (!m.canConvertToInt() && !m.asText().matches("-?\\d+")) throw new ParsingException("[bool] minimum_should_match must be an integer here, got [" + m.asText() + "]");
      msm = Integer.parseInt(m.asText());
      if (msm < 0) msm = Math.max(0, should.size() + msm);
    }
    return new Query.Bool(must, should, mustNot, filter, msm, boost(body));
  }

  private List<Query> clauses(JsonNode body, String occur) {
    JsonNode c = body.get(occur);
    List<Query> out = new ArrayList<>();
    if (c == null) return out;
    if (c.isArray()) for (JsonNode q : c) out.add(parse(q));
    else out.add(parse(c));
    return out;
  }

  private Query range(JsonNode body) {
    Map.Entry<String, JsonNode> f = single(body, "range");
    String field = f.getKey();
    FieldType type = mapping.type(field);
    JsonNode v = f.getValue();
    if (!v.isObject()) throw new ParsingException("[range] query malformed, no start_object after query name");
    Double gt = bound(v, "gt", field, type);
    Double gte = bound(v, "gte", field, type);
    Double lt = bound(v, "lt", field, type);
    Double lte = bound(v, "lte", field, type);
    if (v.has("from")) gte = bound(v, "from", field, type);
    if (v.has("to")) lte = bound(v, "to", field, type);
    return new Query.Range(field, gt, gte, lt, lte, boost(v));
  }

  private Double bound(JsonNode v, String name, String field, FieldType type) {
    JsonNode b = v.get(name);
    if (b == null || b.isNull()) return null;
    return number(field, b.asText(), type);
  }

  private static double number(String field, String text, FieldType type) {
    if (type == FieldType.DATE && !text.matches("-?\\d+")) return Mapping.parseDate(text);
    if (type == FieldType.BOOLEAN) return Boolean.parseBoolean(text) ? 1 : 0;
    try {
      return type == FieldType.DOUBLE ? Float.parseFloat(text) : Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new ParsingException("failed to parse [" + text + "] as a number for field [" + field + "]");
    }
  }

  private Analyzer analyzer(String field, FieldType type) {
    return type == FieldType.KEYWORD ? Analyzers.keyword() : mapping.analyzer(field);
  }

  private static Map.Entry<String, JsonNode> single(JsonNode body, String query) {
    if (body == null || !body.isObject() || body.size() != 1) throw new ParsingException("[" + query + "] query doesn't support multiple fields, found " + (body == null ? 0 : body.size()));
    return body.fields().next();
  }

  private static String text(JsonNode body, String name, String query) {
    JsonNode v = body.get(name);
    if (v == null || v.isNull()) throw new ParsingException("[" + query + "] requires [" + name + "]");
    return v.asText();
  }

  private static float boost(JsonNode body) {
    JsonNode b = body.get("boost");
    return b == null ? 1f : (float) b.asDouble();
  }
}
