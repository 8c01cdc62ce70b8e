//! List models that are updated in place, so a redraw touches only the rows that changed.

use slint::{Model, ModelRc, VecModel};
use std::rc::Rc;

pub struct SyncedModel<T: Clone + PartialEq + 'static> {
    model: Rc<VecModel<T>>,
}

impl<T: Clone + PartialEq + 'static> SyncedModel<T> {
    pub fn new() -> Self {
        SyncedModel {
            model: Rc::new(VecModel::default()),
        }
    }

    pub fn rc(&self) -> ModelRc<T> {
        ModelRc::from(self.model.clone())
    }

    /// Makes the model equal to `rows`, changing only what differs.
    pub fn sync(&self, rows: Vec<T>) {
        if self.model.row_count() != rows.len() {
            self.model.set_vec(rows);
            return;
        }
        for (i, row) in rows.into_iter().enumerate() {
            if self.model.row_data(i).as_ref() != Some(&row) {
                self.model.set_row_data(i, row);
            }
        }
    }
}

impl<T: Clone + PartialEq + 'static> Default for SyncedModel<T> {
    fn default() -> Self {
        Self::new()
    }
}
