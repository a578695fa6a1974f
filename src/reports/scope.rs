//! Whose figures an official may read: the roles that read reports and the register, and the
//! agencies an official's roles reach (`None`: the whole province).

use uuid::Uuid;

use crate::accounts::CurrentStaff;
use crate::accounts::domain::StaffRole;

/// The roles that read an agency's reports.
pub const REPORT_ROLES: &[StaffRole] = &[
    StaffRole::DivisionHead,
    StaffRole::SigningAuthority,
    StaffRole::AgencyAdmin,
];

/// The roles that print an agency's register: the reception desk too.
pub const REGISTER_ROLES: &[StaffRole] = &[
    StaffRole::Reception,
    StaffRole::DivisionHead,
    StaffRole::SigningAuthority,
    StaffRole::AgencyAdmin,
];

/// The agencies where the official holds one of `roles`; None: the whole province (system
/// administrators and the chairman).
pub fn scope_of(staff: &CurrentStaff, roles: &[StaffRole]) -> Option<Vec<Uuid>> {
    if staff.has(StaffRole::SystemAdmin) || staff.has(StaffRole::Chairman) {
        None
    } else {
        let mut ids: Vec<Uuid> = staff
            .roles
            .iter()
            .filter(|r| roles.contains(&r.role))
            .map(|r| r.agency_id)
            .collect();
        ids.sort();
        ids.dedup();
        Some(ids)
    }
}
