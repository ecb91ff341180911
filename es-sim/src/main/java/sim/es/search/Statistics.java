package sim.es.search;

import java.util.List;
import sim.es.index.IndexReader;

/**
 * Where BM25's statistics come from. {@code query_then_fetch}: each shard's own reader, so the same document
 * scores differently on shards with different term distributions. {@code dfs_query_then_fetch}: a first
 * round collects every shard's statistics and all shards score with their sums.
 */
public interface Statistics {
  /** {docCount, sumTotalTermFreq, sumDocFreq} of the field. */
  long[] field(String field);

  /** {docFreq, totalTermFreq} of the term. */
  long[] term(String field, String term);

  static Statistics of(IndexReader reader) {
    return new Statistics() {
      @Override
      public long[] field(String field) {
        return reader.fieldStats(field);
      }

      @Override
      public long[] term(String field, String term) {
        return reader.termStats(field, term);
      }
    };
  }

  /** The DFS phase: statistics summed over all shards' readers. */
  static Statistics global(List<IndexReader> shards) {
    return new Statistics() {
      @Override
      public long[] field(String field) {
        long[] sum = new long[3];
        for (IndexReader r : shards) {
          long[] s = r.fieldStats(field);
          for (int i = 0; i < 3; i++) sum[i] += s[i];
        }
        return sum;
      }

      @Override
      public long[] term(String field, String term) {
        long[] sum = new long[2];
        for (IndexReader r : shards) {
          long[] s = r.termStats(field, term);
          sum[0] += s[0];
          sum[1] += s[1];
        }
        return sum;
      }
    };
  }
}
