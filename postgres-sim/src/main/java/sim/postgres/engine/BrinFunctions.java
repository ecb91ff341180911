package sim.postgres.engine;

import java.util.List;
import sim.postgres.brin.BrinIndex;
import sim.postgres.brin.BrinInspect;
import sim.postgres.sql.Ast.RawPage;
import sim.postgres.sql.Ast.TableFunction;
import sim.postgres.sql.SqlException;

/**
 * pageinspect's BRIN functions over {@code get_raw_page('index', n)} (brin_page_type, brin_metapage_info,
 * brin_revmap_data, brin_page_items(page, 'index')) and brin_summarize_new_values('index').
 */
final class BrinFunctions {
  private BrinFunctions() {}

  static TableFunctions.Relation call(Database db, TableFunction f, List<Object> args) {
    if (f.name().equals("brin_summarize_new_values")) {
      if (args.size() != 1 || !(args.get(0) instanceof String name)) throw undefined(f);
      long n = BrinIndexes.summarizeNewValues(db, name);
      return TableFunctions.relation(f, List.of(f.alias() != null ? f.alias() : f.name()), List.of(List.of(n)));
    }
    if (args.isEmpty() || !(args.get(0) instanceof RawPage page)) throw undefined(f);
    BrinIndex ix = db.state.brins.get(page.relation());
    if (ix == null) {
      if (db.state.btree(page.relation()) != null) throw SqlException.of("22023", "input page is not a valid BRIN page");
      throw SqlException.of(SqlException.UNDEFINED_TABLE, "relation \"%s\" does not exist", page.relation());
    }
    return switch (f.name()) {
      case "brin_page_type" -> TableFunctions.relation(f, List.of("brin_page_type"),
          List.of(List.of(BrinInspect.pageType(ix, page.block()))));
      case "brin_metapage_info" -> TableFunctions.relation(f, BrinInspect.METAPAGE_COLUMNS,
          List.of(BrinInspect.metapageInfo(ix, page.block())));
      case "brin_revmap_data" -> TableFunctions.relation(f, BrinInspect.REVMAP_COLUMNS, BrinInspect.revmapData(ix, page.block()));
      default -> {
        if (args.size() != 2 || !(args.get(1) instanceof String name) || !name.equals(ix.name)) throw undefined(f);
        yield TableFunctions.relation(f, BrinInspect.ITEMS_COLUMNS, BrinInspect.pageItems(ix, page.block()));
      }
    };
  }

  private static SqlException undefined(TableFunction f) {
    return SqlException.of(SqlException.UNDEFINED_FUNCTION, "function %s does not exist", f.name() + "(...)");
  }
}
