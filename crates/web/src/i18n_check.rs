//! Every message key the templates use exists in the Fluent files.

#[cfg(test)]
mod tests {
    use crate::i18n::{message_keys, sources};

    #[test]
    fn every_key_used_in_templates_exists() {
        let templates = [
            include_str!("../templates/layout.html"),
            include_str!("../templates/home.html"),
            include_str!("../templates/service.html"),
            include_str!("../templates/organisation.html"),
            include_str!("../templates/message.html"),
            include_str!("../templates/gaps.html"),
        ];
        let keys = message_keys(sources()[1].1);
        for t in templates {
            for part in t
                .split("tr.t(\"")
                .skip(1)
                .chain(t.split("tr.count(\"").skip(1))
            {
                let key = part.split('"').next().unwrap_or_default();
                assert!(
                    keys.iter().any(|k| k == key),
                    "template uses unknown key {key}"
                );
            }
        }
    }
}
