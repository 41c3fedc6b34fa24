package dev.certops.config;

import java.util.Map;
import java.util.Set;

/** Reads an entry's {@code id}: present, well-formed and unique within its section. */
final class Ids {
    private Ids() { }

    static String unique(YamlNode item, Map<String, YamlNode> m, Set<String> seen, String what) throws ConfigException {
        YamlNode idNode = YamlNode.req(item, m, "id", "every entry needs an id (" + SafeNames.ID_RULE + ")");
        String id = idNode.text();
        var problem = SafeNames.idProblem(id);
        if (problem.isPresent()) throw idNode.error(problem.get());
        if (!seen.add(id)) throw idNode.error("'" + id + "' is used by another " + what + "; ids must be unique");
        return id;
    }
}
