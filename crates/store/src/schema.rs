//! One table description for both backends (the migrations under `migrations/` create them).

diesel::table! {
    organisations (code) {
        code -> Text,
        name -> Text,
        org_type -> Text,
        parent_code -> Nullable<Text>,
        status -> Text,
        provenance -> Text,
        search_text -> Text,
        version -> Integer,
        updated_at -> Text,
    }
}

diesel::table! {
    life_events (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        journey_order -> Integer,
        eu_code -> Text,
        status -> Text,
        provenance -> Text,
        version -> Integer,
        updated_at -> Text,
    }
}

diesel::table! {
    evidence_types (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        status -> Text,
        provenance -> Text,
        version -> Integer,
        updated_at -> Text,
    }
}

diesel::table! {
    outputs (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        output_type -> Text,
        evidence_type_code -> Nullable<Text>,
        status -> Text,
        provenance -> Text,
        version -> Integer,
        updated_at -> Text,
    }
}

diesel::table! {
    information_systems (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        owner_code -> Text,
        base_registry -> Bool,
        lifecycle -> Text,
        digitisation_state -> Text,
        digitisation_share_pct -> Nullable<Integer>,
        digitisation_as_of -> Nullable<Text>,
        provenance -> Text,
        search_text -> Text,
        version -> Integer,
        updated_at -> Text,
    }
}

diesel::table! {
    datasets (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        system_code -> Text,
        status -> Text,
        provenance -> Text,
        version -> Integer,
        updated_at -> Text,
        refs -> Text,
    }
}

diesel::table! {
    services (code) {
        code -> Text,
        name -> Text,
        description -> Text,
        status -> Text,
        audience -> Text,
        provenance -> Text,
        search_text -> Text,
        version -> Integer,
        updated_at -> Text,
        refs -> Text,
    }
}

diesel::table! {
    channels (code) {
        code -> Text,
        service_code -> Text,
        channel_type -> Text,
        url -> Nullable<Text>,
        e_id -> Bool,
        e_signature -> Bool,
        e_payment -> Bool,
        electronic_output -> Bool,
        status -> Text,
        provenance -> Text,
    }
}

diesel::table! {
    exchange_links (code) {
        code -> Text,
        source_dataset_code -> Nullable<Text>,
        source_system_code -> Nullable<Text>,
        target_system_code -> Nullable<Text>,
        target_service_code -> Nullable<Text>,
        status -> Text,
        purpose -> Text,
        legal_basis -> Nullable<Text>,
        provenance -> Text,
        version -> Integer,
        updated_at -> Text,
    }
}

diesel::table! {
    relations (kind, from_code, to_code) {
        kind -> Text,
        from_code -> Text,
        to_code -> Text,
        position -> Integer,
    }
}

diesel::table! {
    revisions (entity_kind, entity_code, version) {
        entity_kind -> Text,
        entity_code -> Text,
        version -> Integer,
        action -> Text,
        author -> Text,
        reason -> Text,
        created_at -> Text,
        snapshot -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    life_events,
    evidence_types,
    outputs,
    information_systems,
    datasets,
    services,
    channels,
    exchange_links,
    relations,
    revisions,
);

diesel::table! {
    rounds (code) {
        code -> Text,
        name -> Text,
        period_start -> Text,
        period_end -> Text,
        framework -> Text,
        framework_version -> Text,
        scope -> Text,
        state -> Text,
        assessors -> Integer,
        revision -> Integer,
        created_at -> Text,
        closed_at -> Nullable<Text>,
        published_at -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    round_revisions (round_code, revision) {
        round_code -> Text,
        revision -> Integer,
        author -> Text,
        reason -> Text,
        created_at -> Text,
    }
}

diesel::table! {
    assessments (round_code, seq) {
        round_code -> Text,
        seq -> Integer,
        service_code -> Text,
        channel_code -> Nullable<Text>,
        perspective -> Text,
        question -> Text,
        answer -> Text,
        evidence_url -> Nullable<Text>,
        evidence_note -> Nullable<Text>,
        evidence_hash -> Nullable<Text>,
        assessor -> Text,
        assessed_at -> Text,
        source -> Text,
        round_revision -> Integer,
        correction -> Nullable<Text>,
    }
}

diesel::table! {
    round_results (round_code) {
        round_code -> Text,
        revision -> Integer,
        against -> Nullable<Text>,
        national_index -> Nullable<Double>,
        index_before -> Nullable<Double>,
        findings -> Nullable<Text>,
        withdrawn -> Text,
    }
}

diesel::table! {
    round_unit_results (round_code, service_code, perspective) {
        round_code -> Text,
        service_code -> Text,
        perspective -> Text,
        seq -> Integer,
        stage -> Nullable<Integer>,
        headline -> Nullable<Double>,
        movement -> Nullable<Text>,
        stage_before -> Nullable<Integer>,
        headline_before -> Nullable<Double>,
        node_values -> Text,
    }
}

diesel::table! {
    round_group_results (round_code, grouping, group_code, node) {
        round_code -> Text,
        grouping -> Text,
        group_code -> Text,
        node -> Text,
        seq -> Integer,
        value -> Nullable<Double>,
        services -> Integer,
    }
}

diesel::table! {
    round_total_results (round_code, node) {
        round_code -> Text,
        node -> Text,
        seq -> Integer,
        value -> Nullable<Double>,
    }
}

diesel::table! {
    changes (seq) {
        seq -> BigInt,
        kind -> Text,
        code -> Text,
    }
}

diesel::table! {
    round_scope (round_code, service_code) {
        round_code -> Text,
        service_code -> Text,
    }
}

diesel::table! {
    round_leads (round_code, organisation_code) {
        round_code -> Text,
        organisation_code -> Text,
        services -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(rounds, round_scope);
diesel::allow_tables_to_appear_in_same_query!(rounds, round_leads);
