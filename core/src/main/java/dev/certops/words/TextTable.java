package dev.certops.words;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table whose columns size to their content: each column is as wide as its widest cell,
 * up to the column's limit, past which a cell ends in an ellipsis ("…"). Columns are separated by two
 * spaces; numbers can be right-aligned; the last column is never padded.
 *
 * <pre>
 * TextTable t = new TextTable().column("CERTIFICATE", 24).right("DAYS LEFT").column("ATTENTION");
 * t.row("api", "4", "renew now");
 * out.print(t);
 * </pre>
 */
public final class TextTable {
    private static final String ELLIPSIS = "…";
    private final List<Col> cols = new ArrayList<>();
    private final List<String[]> rows = new ArrayList<>();

    private record Col(String header, int max, boolean right) { }

    /** A left-aligned column with no width limit. */
    public TextTable column(String header) { return column(header, Integer.MAX_VALUE); }

    /** A left-aligned column at most {@code max} characters wide (longer cells end in "…"). */
    public TextTable column(String header, int max) {
        cols.add(new Col(header, Math.max(2, max), false));
        return this;
    }

    /** A right-aligned column (numbers). */
    public TextTable right(String header) {
        cols.add(new Col(header, Integer.MAX_VALUE, true));
        return this;
    }

    /** A row; missing cells are empty, null reads as "-". */
    public TextTable row(Object... cells) {
        String[] r = new String[cols.size()];
        for (int i = 0; i < r.length; i++) {
            Object c = i < cells.length ? cells[i] : "";
            r[i] = c == null ? "-" : String.valueOf(c).replace('\n', ' ');
        }
        rows.add(r);
        return this;
    }

    public int rows() { return rows.size(); }

    /** "abcdefgh" at 5 reads "abcd…". */
    public static String truncate(String s, int max) {
        if (s.codePointCount(0, s.length()) <= max) return s;
        return s.substring(0, s.offsetByCodePoints(0, Math.max(0, max - 1))) + ELLIPSIS;
    }

    /** The table, a header line and one line per row, each ending in a newline. */
    public String render() {
        int[] w = new int[cols.size()];
        for (int i = 0; i < w.length; i++) {
            int width = len(cols.get(i).header());
            for (String[] r : rows) width = Math.max(width, len(r[i]));
            w[i] = Math.min(width, Math.max(cols.get(i).max(), len(cols.get(i).header())));
        }
        StringBuilder b = new StringBuilder();
        String[] header = cols.stream().map(Col::header).toArray(String[]::new);
        line(b, header, w);
        for (String[] r : rows) line(b, r, w);
        return b.toString();
    }

    private void line(StringBuilder b, String[] cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String c = truncate(cells[i], w[i]);
            boolean last = i == cells.length - 1;
            int pad = w[i] - len(c);
            if (cols.get(i).right()) l.append(" ".repeat(pad)).append(c);
            else l.append(c).append(last ? "" : " ".repeat(pad));
            if (!last) l.append("  ");
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    private static int len(String s) { return s.codePointCount(0, s.length()); }

    @Override
    public String toString() { return render(); }
}
