//! What the back office's pages and other capabilities ask of processing, beside its handlers:
//! whether an official may see a dossier at all.

use uuid::Uuid;

use super::repo::{self, StaffDossier};
use crate::AppState;
use crate::accounts::guard::CurrentStaff;
use crate::dossiers::DossierStatus;
use crate::web::{AppError, AppResult};

/// The dossier, if the official works at its receiving, deciding or co-operating agency.
pub async fn scoped(app: &AppState, staff: &CurrentStaff, id: Uuid) -> AppResult<StaffDossier> {
    let mut conn = app.db.acquire().await?;
    let dossier = repo::find(&mut conn, id).await?.ok_or(AppError::NotFound)?;
    let ours = staff.roles.iter().any(|r| {
        Some(r.agency_id) == dossier.receiving_agency_id
            || Some(r.agency_id) == dossier.competent_agency_id
            || Some(r.agency_id) == dossier.cooperating_agency_id
    });
    if !ours || dossier.status == DossierStatus::Draft {
        return Err(AppError::Forbidden);
    }
    Ok(dossier)
}
