//! The permission catalogue grouped for display (matrix, overrides, effective rights).

use api_types::PermissionDto;

use crate::text;

pub struct ModuleGroup<'a> {
    /// The code's module, e.g. `contacts`.
    pub module: &'a str,
    /// Its Vietnamese name, or the module itself when the client does not know it yet.
    pub label: &'a str,
    pub permissions: Vec<&'a PermissionDto>,
}

/// Groups by module, keeping the catalogue's display order for modules and permissions.
pub fn by_module(catalogue: &[PermissionDto]) -> Vec<ModuleGroup<'_>> {
    let mut groups: Vec<ModuleGroup<'_>> = Vec::new();
    for permission in catalogue {
        match groups
            .iter_mut()
            .find(|group| group.module == permission.module)
        {
            Some(group) => group.permissions.push(permission),
            None => groups.push(ModuleGroup {
                module: &permission.module,
                label: text::module_label(&permission.module).unwrap_or(&permission.module),
                permissions: vec![permission],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn permission(code: &str, module: &str) -> PermissionDto {
        PermissionDto {
            code: code.to_owned(),
            module: module.to_owned(),
            label: code.to_owned(),
        }
    }

    #[test]
    fn keeps_catalogue_order() {
        let catalogue = [
            permission("deals.view", "deals"),
            permission("contacts.view", "contacts"),
            permission("deals.edit", "deals"),
            permission("x.y", "x"),
        ];
        let groups = by_module(&catalogue);
        let modules: Vec<_> = groups.iter().map(|g| (g.module, g.label)).collect();
        assert_eq!(
            modules,
            [
                ("deals", "Hợp đồng"),
                ("contacts", "Khách hàng"),
                ("x", "x")
            ]
        );
        assert_eq!(groups[0].permissions.len(), 2);
    }
}
