//! Words of metric sources: why a reading failed.

words! {
    /// Words of metric sources.
    pub struct Metrics;
    fixed {
        unclosed: "an unclosed `${` in the source", "un `${` non fermé dans la source";
        connect: "cannot connect to the source", "connexion à la source impossible";
        no_series: "the query returned no series (empty result)", "la requête n'a rendu aucune série (résultat vide)";
        no_number: "the command printed no number", "la commande n'a affiché aucun nombre";
        empty_command: "empty command", "commande vide";
    }
    shaped {
        unset(name: &str): "{name} is not set: export it to read this metric", "{name} n'est pas définie : exportez-la pour lire cette métrique";
        not_finite(value: &str): "the source gave {value}, not a number a threshold can judge", "la source a donné {value}, pas un nombre qu'un seuil peut juger";
        timeout(seconds: &str): "no answer within {seconds}s", "pas de réponse en {seconds} s";
        http(detail: &str): "HTTP error: {detail}", "erreur HTTP : {detail}";
        token_refused(status: u16): "the token was refused (HTTP {status})", "le jeton a été refusé (HTTP {status})";
        status(status: u16): "the source answered HTTP {status}", "la source a répondu HTTP {status}";
        not_json(detail: &str): "the answer is not JSON: {detail}", "la réponse n'est pas du JSON : {detail}";
        not_number(value: &str): "`{value}` is not a number", "`{value}` n'est pas un nombre";
        prometheus_refused(why: &str): "Prometheus refused the query: {why}", "Prometheus a refusé la requête : {why}";
        many_series(count: usize): "the query returned {count} series: aggregate it to one (sum, max, …)", "la requête a rendu {count} séries : agrégez-les en une (sum, max, …)";
        result_type(found: &str): "unexpected result type {found}: use an instant vector or scalar query", "type de résultat inattendu {found} : utilisez une requête instantanée (vecteur ou scalaire)";
        cannot_run(program: &str, detail: &str): "cannot run `{program}`: {detail}", "impossible de lancer `{program}` : {detail}";
        command_timeout(program: &str, seconds: &str): "`{program}` gave no answer within {seconds}s (killed)", "`{program}` n'a pas répondu en {seconds} s (tué)";
        command_failed(program: &str, detail: &str): "`{program}` failed: {detail}", "`{program}` a échoué : {detail}";
        command_exit(program: &str, status: &str, first: &str): "`{program}` exited with {status}: {first}", "`{program}` s'est terminé avec {status} : {first}";
        exit_code(code: i32): "exit code {code}", "le code {code}";
        exit_signal(signal: i32): "signal {signal}", "le signal {signal}";
        nothing_at(pointer: &str): "nothing at {pointer} in the answer", "rien à {pointer} dans la réponse";
    }
}
