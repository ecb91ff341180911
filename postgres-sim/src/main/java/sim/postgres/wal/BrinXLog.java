package sim.postgres.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.postgres.brin.BrinIndex;
import sim.postgres.brin.BrinPageCodec;

/** brin_xlog.c's side here: each BRIN operation logged as the images of the pages it changed, through shared buffers. */
final class BrinXLog {
  private BrinXLog() {}

  static void attach(Storage s, BrinIndex ix) {
    ix.setChanges(new BrinIndex.Changes() {
      @Override
      public void logged(BrinIndex index, String record, List<Integer> blocks) {
        Set<Integer> distinct = new TreeSet<>(blocks);
        List<WalRecord.FullPage> images = new ArrayList<>();
        for (int b : distinct) images.add(new WalRecord.FullPage(b, BrinPageCodec.encode(index, index.page(b))));
        s.log(new WalRecord.BrinPages(index.oid, record, images));
        if (s.tracing()) {
          s.points().point("pg.brin." + record.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
              index.name + ": " + record + " of block(s) " + distinct, "index", index.name, "blocks", distinct.toString());
        }
        for (int b : distinct) {
          index.page(b).lsn = s.wal().insertLsn();
          s.pool().touch(index.oid, b, true);
        }
      }
    });
  }
}
