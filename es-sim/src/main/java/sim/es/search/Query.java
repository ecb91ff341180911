package sim.es.search;

import java.util.List;
import java.util.Set;

/**
 * The Lucene queries Elasticsearch's query DSL turns into. {@code match} becomes a {@link Bool} of
 * {@link Term} clauses (one per analysed term), {@code match_phrase} a {@link Phrase}, {@code terms},
 * {@code range} and {@code exists} constant-score queries.
 */
public sealed interface Query {
  float boost();

  /** A single term in a field, scored with BM25. */
  record Term(String field, String term, float boost) implements Query {}

  /** Terms at consecutive positions (slop 0), scored with BM25 over the phrase frequency and the terms' summed idf. */
  record Phrase(String field, List<String> terms, float boost) implements Query {}

  /** Any of the terms: constant score. */
  record Terms(String field, Set<String> terms, float boost) implements Query {}

  /** Numeric or date range on doc values: constant score. Null bounds are open. */
  record Range(String field, Double gt, Double gte, Double lt, Double lte, float boost) implements Query {}

  /** Documents with a value in the field: constant score. */
  record Exists(String field, float boost) implements Query {}

  record MatchAll(float boost) implements Query {}

  record MatchNone(float boost) implements Query {}

  record Bool(List<Query> must, List<Query> should, List<Query> mustNot, List<Query> filter, int minimumShouldMatch, float boost) implements Query {
    public Bool {
      must = List.copyOf(must);
      should = List.copyOf(should);
      mustNot = List.copyOf(mustNot);
      filter = List.copyOf(filter);
    }
  }
}
