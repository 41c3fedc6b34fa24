package dev.certops.app.settings;

import dev.certops.acme.CaHealth;
import dev.certops.app.common.DetailsPane;
import dev.certops.app.common.Dialogs;
import dev.certops.app.shell.Theme;
import dev.certops.deploy.HostKeys;
import dev.certops.words.Words;
import java.nio.file.Path;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Parent;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Workspace, CAs, DNS providers, hosts (with SSH key trust after comparison), thresholds; edit certops.yaml and reload. */
public final class SettingsView {
    private final SettingsViewModel vm;
    private final ScrollPane root = new ScrollPane();

    /**
     * @param openInEditor opens a file in the system editor
     * @param openWorkspace asks for another workspace folder and opens (or creates) it; null when not offered
     */
    public SettingsView(SettingsViewModel vm, Consumer<Path> openInEditor, Path configFile, Runnable openWorkspace) {
        this.vm = vm;
        Label ws = new Label();
        ws.setId("settings-workspace");
        ws.textProperty().bind(vm.workspaceProperty());
        ws.setWrapText(true);
        Button edit = new Button("Open certops.yaml in the system editor");
        edit.setId("settings-edit");
        edit.setOnAction(e -> openInEditor.accept(configFile));
        Button reload = new Button("Reload");
        reload.setId("settings-reload");
        reload.setOnAction(e -> vm.reload());
        Button other = new Button("Open or create another workspace…");
        other.setId("settings-open-workspace");
        other.setDisable(openWorkspace == null);
        other.setOnAction(e -> openWorkspace.run());
        Label message = new Label();
        message.setId("settings-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());
        Label thresholds = new Label();
        thresholds.textProperty().bind(vm.thresholdsProperty());
        TableView<SettingsViewModel.Item> hosts = table(vm.hosts(), "settings-hosts", "No hosts yet: add them under hosts: in certops.yaml.");
        Button trust = new Button("Check and trust the SSH host key…");
        trust.setId("settings-trust");
        trust.disableProperty().bind(hosts.getSelectionModel().selectedItemProperty().isNull());
        trust.setOnAction(e -> {
            String id = hosts.getSelectionModel().getSelectedItem().id();
            vm.scanKey(id, key -> {
                if (key.listed() == HostKeys.Listed.CHANGED) refuseChangedKey(id, key);
                else askTrust(id, key);
            });
        });
        TableView<SettingsViewModel.Item> dns = table(vm.dns(), "settings-dns", "No DNS provider: needed only for DNS-01 challenges (dns: in certops.yaml).");
        TextField dnsName = new TextField();
        dnsName.setId("settings-dns-name");
        dnsName.setPromptText("a name to test with, e.g. www.example.com");
        dnsName.setPrefColumnCount(30);
        dns.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && dnsName.getText().isBlank()) dnsName.setText(vm.suggestedDnsName(now.id()));
        });
        Button dnsTest = new Button("Test this DNS provider");
        dnsTest.setId("settings-dns-test");
        dnsTest.disableProperty().bind(dns.getSelectionModel().selectedItemProperty().isNull());
        dnsTest.setOnAction(e -> vm.testDns(dns.getSelectionModel().getSelectedItem().id(), dnsName.getText()));
        box = new VBox(10,
                section("Workspace"), ws, darkToggle(), new HBox(8, edit, reload, other), message, DetailsPane.of(vm.detailsProperty()),
                section("Checks"), table(vm.checks(), "settings-checks", "Everything certops.yaml points at is there: trust files, SSH identities and known hosts, secrets."),
                section("Certificate authorities"), table(vm.cas(), "settings-cas", "No CA configured: add one under cas: in certops.yaml."),
                section("DNS providers"), dns, new HBox(8, dnsName, dnsTest),
                section("Hosts"), hosts, trust,
                section("Thresholds"), thresholds);
        box.setPadding(new Insets(14));
        root.setContent(box);
        root.setFitToWidth(true);
        root.setId("settings");
        vm.open();
    }

    public Parent root() { return root; }

    /** Shows a key certops has not seen for comparison; only "Trust this key" (never Enter: Cancel is the default) trusts it. */
    private void askTrust(String id, HostKeys.HostKeyInfo key) {
        ButtonType trustIt = new ButtonType("Trust this key", ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", ButtonType.CANCEL, trustIt);
        a.setTitle("New SSH host key — " + id);
        a.setHeaderText("Is this " + id + "'s SSH host key?");
        a.getDialogPane().setContent(new VBox(10, wrapped(SettingsViewModel.trustQuestion(id, key), "host-key-question"),
                fingerprint(key), wrapped(SettingsViewModel.trustEffect(id, key), "host-key-effect")));
        a.getDialogPane().setPrefWidth(640);
        Dialogs.cancelIsTheDefault(a, trustIt);
        Dialogs.showOver(a, root).filter(b -> b == trustIt).ifPresent(b -> vm.trust(id, key));
    }

    /** A changed key is never trusted from the console: the dialog says why and what to do; it only closes. */
    private void refuseChangedKey(String id, HostKeys.HostKeyInfo key) {
        Alert a = new Alert(Alert.AlertType.ERROR, "", ButtonType.CLOSE);
        a.setTitle("SSH host key changed — " + id);
        a.setHeaderText(id + "'s SSH host key has CHANGED. certops refuses to connect to " + id + ".");
        a.getDialogPane().setContent(new VBox(10, wrapped(SettingsViewModel.changedKeyRefusal(id, key), "host-key-refusal"),
                fingerprint(key), wrapped(SettingsViewModel.changedKeySteps(id, key), "host-key-steps")));
        a.getDialogPane().setPrefWidth(640);
        Dialogs.showOver(a, root);
    }

    /** The key's type and fingerprint in a field that can be selected and copied (to paste where the administrator reads it). */
    private static TextField fingerprint(HostKeys.HostKeyInfo key) {
        TextField f = new TextField(key.type() + "  " + key.fingerprint());
        f.setId("host-key-fingerprint");
        f.setEditable(false);
        f.getStyleClass().add("fingerprint");
        return f;
    }

    private static Label wrapped(String text, String id) {
        Label l = new Label(text);
        l.setId(id);
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        return l;
    }

    private final VBox box;

    /** Dark theme on or off for this window, remembered for the next start. */
    private CheckBox darkToggle() {
        CheckBox dark = new CheckBox("Dark theme (remembered; the first start follows the desktop)");
        dark.setId("settings-dark");
        root.sceneProperty().addListener((o, a, scene) -> { if (scene != null) dark.setSelected(Theme.isDark(scene)); });
        dark.setOnAction(e -> Theme.apply(root.getScene(), dark.isSelected(), true));
        return dark;
    }

    /** Each CA's health from the Estate's directory probe (the same list, live), under the CA table. */
    public void showCaHealth(ObservableList<CaHealth.Entry> health) {
        VBox lines = new VBox(4);
        lines.setId("settings-ca-health");
        Runnable fill = () -> {
            lines.getChildren().clear();
            if (health.isEmpty()) lines.getChildren().add(new Label("Not asked yet: the Estate asks each CA's directory when it scans (F5)."));
            for (var e : health) {
                Label l = new Label("● " + e.line() + " — checked " + Words.clock(e.checkedAt()));
                l.setWrapText(true);
                l.getStyleClass().add("ca-" + e.state().label());
                lines.getChildren().add(l);
            }
        };
        fill.run();
        health.addListener((ListChangeListener<CaHealth.Entry>) c -> fill.run());
        int at = box.getChildren().indexOf(box.lookup("#settings-cas"));
        box.getChildren().add(at + 1, lines);
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section-title");
        return l;
    }

    private static TableView<SettingsViewModel.Item> table(ObservableList<SettingsViewModel.Item> items, String id, String empty) {
        TableView<SettingsViewModel.Item> t = new TableView<>(items);
        t.setId(id);
        t.setPlaceholder(new Label(empty));
        t.setPrefHeight(130);
        TableColumn<SettingsViewModel.Item, String> a = new TableColumn<>(id.equals("settings-checks") ? "Where" : "Id");
        a.setPrefWidth(160);
        a.setCellValueFactory(x -> new ReadOnlyStringWrapper(x.getValue().id()));
        TableColumn<SettingsViewModel.Item, String> b = new TableColumn<>("Details");
        b.setPrefWidth(780);
        b.setCellValueFactory(x -> new ReadOnlyStringWrapper(x.getValue().description()));
        t.getColumns().add(a);
        t.getColumns().add(b);
        return t;
    }

}
