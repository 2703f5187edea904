package io.sr4j.report;

import java.util.List;
import java.util.Objects;

/**
 * A table for a report, sortable in the page by clicking a column header: numeric columns sort by each cell's
 * {@code sortValue}, the others by text. Each row has one cell per column.
 */
public record ResultsTable(List<String> columns, List<List<Cell>> rows) {
  /** A cell: its text, the number it sorts by (null: sorts by text, or last when the column is numeric), an
   * optional link (relative to the page) and whether it is emphasised (e.g. the best value of a column). */
  public record Cell(String text, Double sortValue, String href, boolean bold) {
    public Cell {
      Objects.requireNonNull(text, "text");
    }

    public static Cell text(String text) {
      return new Cell(text, null, null, false);
    }

    public static Cell number(String text, double value) {
      return new Cell(text, Double.isFinite(value) ? value : null, null, false);
    }

    public static Cell link(String text, String href) {
      return new Cell(text, null, href, false);
    }

    public Cell emphasised() {
      return new Cell(text, sortValue, href, true);
    }
  }

  public ResultsTable {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
    for (List<Cell> row : rows) {
      if (row.size() != columns.size()) {
        throw new IllegalArgumentException("a row has " + row.size() + " cells for " + columns.size() + " columns");
      }
    }
  }
}
