package dev.certops.app.shell;

import java.util.Locale;
import java.util.Map;
import java.util.prefs.Preferences;
import javafx.scene.Scene;

/**
 * Light or dark: the operator's choice in Settings (remembered), else the desktop's where it can be read
 * ({@code GTK_THEME} ending in {@code :dark}). The dark stylesheet is added after certops.css.
 */
public final class Theme {
    private static final String DARK = Theme.class.getResource("/dev/certops/app/certops-dark.css").toExternalForm();
    private static final String KEY = "theme.dark";

    private Theme() { }

    /** The theme to open with: the remembered choice, else the desktop's. */
    public static boolean darkPreferred(Map<String, String> env) {
        Preferences p = Preferences.userNodeForPackage(Theme.class);
        String chosen = p.get(KEY, null);
        if (chosen != null) return Boolean.parseBoolean(chosen);
        String gtk = env.getOrDefault("GTK_THEME", "");
        return gtk.endsWith(":dark") || gtk.toLowerCase(Locale.ROOT).contains("dark");
    }

    public static boolean isDark(Scene scene) { return scene != null && scene.getStylesheets().contains(DARK); }

    /** Switches {@code scene}; {@code remember}: the operator chose it (Settings), kept for the next start. */
    public static void apply(Scene scene, boolean dark, boolean remember) {
        if (scene == null) return;
        scene.getStylesheets().remove(DARK);
        if (dark) scene.getStylesheets().add(DARK);
        if (remember) Preferences.userNodeForPackage(Theme.class).put(KEY, String.valueOf(dark));
    }
}
