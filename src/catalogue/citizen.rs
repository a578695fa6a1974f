//! Public pages of the catalogue: home, search, procedure, form templates.

use axum::extract::rejection::QueryRejection;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::domain::{OnlineLevel, ProcedureCode, Search, SearchError, SearchForm};
use super::repo;
use super::views::{
    CountLink, FilterOption, HomePage, KindGroup, ProcedureCard, ProcedurePage, SearchPage,
};
use crate::AppState;
use crate::catalogue::cache::Reference;
use crate::kernel::Lang;
use crate::web::lang::RequestLang;
use crate::web::{AppError, AppResult, Layout, paths};

/// `GET /`
#[tracing::instrument(skip_all)]
pub async fn home(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    session: Session,
) -> AppResult<HomePage> {
    let reference = app.catalogue.reference(&app.db).await?;
    let fields = reference
        .fields
        .iter()
        .filter(|f| f.procedures > 0)
        .map(|f| CountLink {
            name: lang.pick(&f.name_vi, &f.name_en).to_owned(),
            url: paths::catalogue_by_field(&f.code),
            count: f.procedures,
        })
        .collect();
    let agencies = reference
        .agencies
        .iter()
        .filter(|a| a.named_procedures > 0)
        .map(|a| CountLink {
            name: lang.pick(&a.name_vi, &a.name_en).to_owned(),
            url: paths::catalogue_by_agency(&a.slug),
            count: a.procedures(),
        })
        .collect();
    Ok(HomePage {
        layout: Layout::new(lang, lang.t("home.title"), "/")
            .signed_in(&session)
            .await,
        most_used: reference
            .most_used
            .iter()
            .map(|p| ProcedureCard::new(p, lang))
            .collect(),
        total: reference.fields.iter().map(|f| f.procedures).sum(),
        fields,
        agencies,
        kind_groups: kind_groups(&reference, lang),
    })
}

/// Kinds whose every agency decides the same procedures (the 96 communes): one group each.
fn kind_groups(reference: &Reference, lang: Lang) -> Vec<KindGroup> {
    let mut groups: Vec<KindGroup> = Vec::new();
    let mut last_kind = "";
    for a in reference.agencies.iter().filter(|a| a.kind_procedures > 0) {
        if a.kind != last_kind {
            groups.push(KindGroup {
                label: lang.pick(&a.group_vi, &a.group_en).to_owned(),
                count: a.kind_procedures,
                agencies: Vec::new(),
            });
            last_kind = &a.kind;
        }
        if let Some(group) = groups.last_mut() {
            group.agencies.push(FilterOption {
                value: a.slug.clone(),
                label: lang.pick(&a.name_vi, &a.name_en).to_owned(),
                selected: false,
            });
        }
    }
    groups
}

/// `GET /thu-tuc?q=&agency=&field=&level=&cursor=`
#[tracing::instrument(skip_all)]
pub async fn search_procedures(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    OriginalUri(uri): OriginalUri,
    session: Session,
    query: Result<Query<SearchForm>, QueryRejection>,
) -> AppResult<Response> {
    let here = uri
        .path_and_query()
        .map_or("/thu-tuc", |pq| pq.as_str())
        .to_owned();
    let reference = app.catalogue.reference(&app.db).await?;
    let Ok(Query(form)) = query else {
        let mut page = empty_search_page(&reference, &SearchForm::default(), lang, here);
        page.layout = page.layout.signed_in(&session).await;
        page.error = Some(lang.t("errors.bad_request_text").into_owned());
        page.layout.has_error = true;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    };
    let mut page = empty_search_page(&reference, &form, lang, here);
    page.layout = page.layout.signed_in(&session).await;
    let search = match resolve(&form, &reference) {
        Ok(search) => search,
        Err(error) => {
            page.error = Some(lang.t(error.message_key()).into_owned());
            page.layout.has_error = true;
            return Ok((StatusCode::BAD_REQUEST, page).into_response());
        }
    };
    let found = app.catalogue.search(&app.db, &search, &reference).await?;
    page.results = found
        .items
        .iter()
        .map(|row| ProcedureCard::new(&reference.summarize(row), lang))
        .collect();
    let base = search_url(&search);
    page.next_url = found
        .next
        .as_ref()
        .map(|c| format!("{base}{}cursor={}", joiner(&base), c.encode()));
    page.first_url = search.cursor.is_some().then_some(base);
    page.heading = heading(&search, &reference, lang);
    Ok(page.into_response())
}

/// Parses the form and checks that the agency and field exist.
pub(crate) fn resolve(form: &SearchForm, reference: &Reference) -> Result<Search, SearchError> {
    let search = Search::parse(form)?;
    if search
        .agency
        .as_deref()
        .is_some_and(|s| reference.agency(s).is_none())
    {
        return Err(SearchError::BadAgency);
    }
    if search
        .field
        .as_deref()
        .is_some_and(|c| reference.field(c).is_none())
    {
        return Err(SearchError::BadField);
    }
    Ok(search)
}

fn search_url(search: &Search) -> String {
    let query: Vec<String> = search
        .query_string()
        .into_iter()
        .map(|(k, v)| format!("{k}={}", paths::encode(&v)))
        .collect();
    if query.is_empty() {
        paths::CATALOGUE.to_owned()
    } else {
        format!("{}?{}", paths::CATALOGUE, query.join("&"))
    }
}

fn joiner(url: &str) -> &'static str {
    if url.contains('?') { "&" } else { "?" }
}

fn heading(search: &Search, reference: &Reference, lang: Lang) -> String {
    if !search.text.is_empty() {
        return format!("{} “{}”", lang.t("search.results_for"), search.text);
    }
    if let Some(a) = search.agency.as_deref().and_then(|s| reference.agency(s)) {
        return lang.pick(&a.name_vi, &a.name_en).to_owned();
    }
    if let Some(f) = search.field.as_deref().and_then(|c| reference.field(c)) {
        return format!(
            "{}: {}",
            lang.t("search.field"),
            lang.pick(&f.name_vi, &f.name_en)
        );
    }
    lang.t("search.all").into_owned()
}

/// The search page with its filters filled from what the user sent (kept even when refused).
fn empty_search_page(
    reference: &Reference,
    form: &SearchForm,
    lang: Lang,
    here: String,
) -> SearchPage {
    let q = form.q.clone().unwrap_or_default();
    let chosen = |v: &Option<String>, candidate: &str| v.as_deref() == Some(candidate);
    let mut layout = Layout::new(lang, lang.t("search.title"), here);
    layout.search_q.clone_from(&q);
    SearchPage {
        layout,
        q,
        levels: OnlineLevel::ALL
            .iter()
            .map(|l| FilterOption {
                value: l.as_str().to_owned(),
                label: format!("{} ({})", l.label(lang), l.legacy_label(lang)),
                selected: form.level.as_deref().and_then(OnlineLevel::parse) == Some(*l),
            })
            .collect(),
        fields: reference
            .fields
            .iter()
            .filter(|f| f.procedures > 0)
            .map(|f| FilterOption {
                value: f.code.clone(),
                label: lang.pick(&f.name_vi, &f.name_en).to_owned(),
                selected: chosen(&form.field, &f.code),
            })
            .collect(),
        agencies: reference
            .agencies
            .iter()
            .filter(|a| a.procedures() > 0)
            .map(|a| FilterOption {
                value: a.slug.clone(),
                label: lang.pick(&a.name_vi, &a.name_en).to_owned(),
                selected: chosen(&form.agency, &a.slug),
            })
            .collect(),
        results: Vec::new(),
        next_url: None,
        first_url: None,
        error: None,
        heading: lang.t("search.all").into_owned(),
    }
}

/// `GET /thu-tuc/{code}`
#[tracing::instrument(skip_all, fields(procedure.code = %code))]
pub async fn show_procedure(
    State(app): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(code): Path<String>,
    session: Session,
) -> AppResult<ProcedurePage> {
    let code = ProcedureCode::parse(&code).ok_or(AppError::NotFound)?;
    let detail = app
        .catalogue
        .procedure(&app.db, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut page = ProcedurePage::new(&detail, lang, paths::procedure(code.as_str()));
    page.layout = page.layout.signed_in(&session).await;
    page.answers = crate::feedback::views::published_for(&app, code.as_str(), lang).await?;
    Ok(page)
}

/// `GET /bieu-mau/{slug}`: downloads a form template.
#[tracing::instrument(skip_all, fields(form.slug = %slug))]
pub async fn download_form_template(
    State(app): State<AppState>,
    Path(slug): Path<String>,
) -> AppResult<Response> {
    let well_formed = slug.len() <= 100
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_formed {
        return Err(AppError::NotFound);
    }
    let mut conn = app.db.acquire().await?;
    let file = repo::find_form_template(&mut conn, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let safe_name: String = file
        .file_name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .collect();
    let safe_name = if safe_name.is_empty() {
        "bieu-mau".to_owned()
    } else {
        safe_name
    };
    let disposition = format!(
        "attachment; filename=\"{safe_name}\"; filename*=UTF-8''{}",
        paths::encode(&file.file_name)
    );
    let mut response = file.body.into_response();
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&file.content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    // a template opened in the browser must not run anything in the portal's origin
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'; style-src 'unsafe-inline'"),
    );
    Ok(response)
}
