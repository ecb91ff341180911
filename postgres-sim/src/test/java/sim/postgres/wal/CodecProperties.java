package sim.postgres.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.RowLockMode;
import sim.postgres.sql.Ast.SqlType;

class CodecProperties {
  static final Table TABLE = new Table("t", 16384, List.of(new ColumnDef("a", SqlType.INT4, false),
      new ColumnDef("b", SqlType.TEXT, false), new ColumnDef("c", SqlType.INT8, false), new ColumnDef("d", SqlType.BOOL, false)));

  @Provide
  Arbitrary<Object[]> rows() {
    return Combinators.combine(
        Arbitraries.integers().map(i -> (Object) (long) i).injectNull(0.2),
        Arbitraries.strings().ofMaxLength(300).map(s -> (Object) s).injectNull(0.2),
        Arbitraries.longs().map(l -> (Object) l).injectNull(0.2),
        Arbitraries.of(true, false).map(b -> (Object) b).injectNull(0.2)).as((a, b, c, d) -> new Object[] {a, b, c, d});
  }

  @Provide
  Arbitrary<List<Object[]>> rowLists() {
    return rows().list().ofMaxSize(60);
  }

  static HeapTuple tuple(Object[] vals, int xmin) {
    HeapTuple t = HeapTuple.of(TABLE, vals);
    for (Object v : vals) if (v == null) t.set(Infomask.HEAP_HASNULL);
    t.xmin = xmin;
    t.set(Infomask.HEAP_XMAX_INVALID);
    t.infomask2 = vals.length;
    return t;
  }

  @Property(tries = 300)
  void pagesRoundTripThroughPostgresLayout(@ForAll("rowLists") List<Object[]> rows) {
    HeapPage page = new HeapPage(0);
    int xid = 3;
    for (Object[] r : rows) {
      HeapTuple t = tuple(r, xid++);
      if (!page.fits(t.sizeBytes)) break;
      int off = page.add(t);
      t.ctid = new Tid(0, off);
      t.selfTid = t.ctid;
    }
    page.lsn = 0x1234_5678L;
    byte[] image = PageCodec.encodePage(TABLE, page);
    HeapPage back = PageCodec.decodePage(TABLE, 0, image);
    assertEquals(page.items.size(), back.items.size());
    assertEquals(page.freeSpace(), back.freeSpace());
    for (int i = 1; i <= page.items.size(); i++) {
      assertArrayEquals(page.tuple(i).values, back.tuple(i).values);
      assertEquals(page.tuple(i).xmin, back.tuple(i).xmin);
      assertEquals(page.tuple(i).infomask, back.tuple(i).infomask);
    }
    assertArrayEquals(image, PageCodec.encodePage(TABLE, back));
  }

  @Property(tries = 100)
  void aFlippedByteFailsTheChecksum(@ForAll("rows") Object[] row, @ForAll int where) {
    HeapPage page = new HeapPage(2);
    HeapTuple t = tuple(row, 7);
    t.ctid = new Tid(2, page.add(t));
    byte[] image = PageCodec.encodePage(TABLE, page);
    int pos = Math.floorMod(where, image.length);
    if (pos == 8 || pos == 9) pos = 12; // not the checksum field itself
    image[pos] ^= 0x5a;
    byte[] torn = image;
    assertThrows(PageCodec.ChecksumFailure.class, () -> PageCodec.decodePage(TABLE, 2, torn));
  }

  @Property(tries = 200)
  void walRecordsRoundTrip(@ForAll("rows") Object[] row, @ForAll int xid, @ForAll boolean multi, @ForAll boolean hot) {
    HeapTuple t = tuple(row, xid);
    t.ctid = new Tid(3, 4);
    List<Member> members = multi ? List.of(new Member(5, RowLockMode.KEY_SHARE, false), new Member(6, RowLockMode.NO_KEY_UPDATE, true)) : List.of();
    WalRecord.Header h = new WalRecord.Header(xid, 0x1000, 2, 1, new Tid(3, 5), members);
    WalRecord.FullPage fpi = new WalRecord.FullPage(1, new byte[] {1, 2, 3});
    WalRecord.TupleImage live = WalRecord.TupleImage.of(TABLE, t);
    for (WalRecord r : List.of(new WalRecord.Insert(xid, 16384, new Tid(3, 4), live, null, hot),
        new WalRecord.Update(xid, 16384, new Tid(1, 1), h, hot ? new Tid(1, 2) : new Tid(2, 1), live, hot, fpi, hot ? fpi : null),
        new WalRecord.Delete(xid, 16384, new Tid(1, 2), h, fpi),
        new WalRecord.Lock(xid, 16384, new Tid(1, 2), h, null),
        new WalRecord.Vacuum(16384, 731, fpi),
        new WalRecord.Commit(xid), new WalRecord.Abort(xid), new WalRecord.Checkpoint(99, xid))) {
      byte[] bytes = WalRecord.encode(r);
      WalRecord back = WalRecord.decode(bytes);
      assertEquals(r.toString(), back.toString());
      assertArrayEquals(bytes, WalRecord.encode(back), "the decoded record encodes to the same bytes: " + r);
    }
    byte[] image = PageCodec.encodeTuple(TABLE, t);
    WalRecord.Insert decoded = (WalRecord.Insert) WalRecord.decode(WalRecord.encode(new WalRecord.Insert(xid, 1, new Tid(0, 1), live, null, false)));
    assertArrayEquals(image, decoded.tuple().bytes(), "a live tuple is logged as its page image");
  }

  @Property(tries = 200)
  void aTruncatedRecordNeverDecodes(@ForAll("rows") Object[] row, @ForAll int cut) {
    HeapTuple t = tuple(row, 7);
    t.ctid = new Tid(0, 1);
    byte[] bytes = WalRecord.encode(new WalRecord.Insert(7, 16384, new Tid(0, 1), WalRecord.TupleImage.of(TABLE, t), null, false));
    byte[] torn = java.util.Arrays.copyOf(bytes, Math.floorMod(cut, bytes.length));
    assertThrows(IllegalArgumentException.class, () -> WalRecord.decode(torn));
  }
}
