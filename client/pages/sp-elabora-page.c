/* sp-elabora-page.c: "Elabora": the processing of a pratica, step by step, saved and concluded */
#define G_LOG_DOMAIN "sp-elabora-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-client-pratica.h"
#include "sp-client-processing.h"
#include "sp-elabora-page-private.h"
#include "sp-status.h"
#include "sp-step-field-row.h"
#include "sp-style.h"

/*
 * The manual's "Elabora una pratica": *Esito* (accept or reject, with the
 * motivation required to reject), *Risposta* (the operator's file), then the
 * service's own steps (those `only_if_approved` skipped on a rejection), then
 * *Riepilogo*. "Avanti" checks the step shown; "Salva" keeps the work on the
 * server as it is (the work resumes from there, on any computer, at the first
 * step not done); "Concludi" checks everything, asks, saves and concludes.
 * The page loads the pratica itself, so the work is always the server's.
 * SpElaboraPage::closed and SpElaboraPage::concluded tell the detail page to
 * come back.
 */

G_DEFINE_FINAL_TYPE (SpElaboraPage, sp_elabora_page, ADW_TYPE_BIN)

enum {
  CLOSED,
  CONCLUDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
numero (SpElaboraPage *self)
{
  return self->detail != NULL ? sp_pratica_summary_get_data (self->detail->summary)->numero : "";
}

static void
update_actions (SpElaboraPage *self)
{
  gboolean ready = self->detail != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "steps") == 0;
  gboolean busy = self->cancellable != NULL;
  gboolean first = g_strcmp0 (self->current, SP_ELABORA_ESITO) == 0;

  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), busy);
  gtk_spinner_set_spinning (self->header_spinner, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "elabora.save", ready && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "elabora.conclude", ready && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "elabora.next", ready && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "elabora.previous", ready && !busy && !first);
}

static char *
format_datetime (GDateTime *datetime)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (datetime);

  return g_date_time_format (local, "%x %H:%M");
}

static void
update_saved_label (SpElaboraPage *self)
{
  SpProcessing *processing = self->detail != NULL ? self->detail->processing : NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (processing == NULL || processing->saved_at == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->saved_label), FALSE);
      return;
    }
  when = format_datetime (processing->saved_at);
  if (processing->saved_by != NULL)
    /* Translators: when the work was saved last (date and time), then by whom */
    text = g_strdup_printf (_("Last saved on %s by %s"), when, processing->saved_by);
  else
    /* Translators: when the work was saved last (date and time) */
    text = g_strdup_printf (_("Last saved on %s"), when);
  gtk_label_set_text (self->saved_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->saved_label), TRUE);
}

/* Where the user is: "Passo 2 di 5", the title, the buttons of the action bar. */
static void
update_position (SpElaboraPage *self)
{
  g_autoptr(GPtrArray) order = sp_elabora_page_order (self);
  g_autofree char *counter = NULL;
  g_autofree char *title = NULL;
  guint index = 0;

  while (index < order->len && g_strcmp0 (g_ptr_array_index (order, index), self->current) != 0)
    index++;
  if (index == order->len)
    index = 0;

  /* Translators: the step shown, then how many steps there are */
  counter = g_strdup_printf (_("Step %u of %u"), index + 1, order->len);
  title = sp_elabora_page_step_title (self, self->current);
  gtk_label_set_text (self->step_counter, counter);
  gtk_label_set_text (self->step_title, title);
  gtk_level_bar_set_max_value (self->step_bar, order->len);
  gtk_level_bar_set_value (self->step_bar, index + 1);
  gtk_widget_set_visible (self->next_button, index + 1 < order->len);
  gtk_widget_set_visible (self->conclude_button, index + 1 == order->len);
  update_actions (self);
}

/* The focus goes where the step is filled in, or to the button that goes
 * on: never left to a label that would select its text. */
static void
focus_step (SpElaboraPage *self)
{
  GtkWidget *row = NULL;

  for (guint i = 0; g_str_has_prefix (self->current, "step:") && i < self->detail->steps->len && row == NULL; i++)
    {
      const SpStep *step = g_ptr_array_index (self->detail->steps, i);

      if (g_str_equal (step->key, self->current + strlen ("step:")) && step->fields->len > 0)
        {
          const SpStepField *first = g_ptr_array_index (step->fields, 0);
          g_autofree char *path = g_strdup_printf ("steps.%s.%s", step->key, first->key);

          row = g_hash_table_lookup (self->rows, path);
        }
    }

  if (row != NULL)
    gtk_widget_grab_focus (sp_step_field_row_get_input (SP_STEP_FIELD_ROW (row)));
  else if (gtk_widget_get_visible (self->conclude_button))
    gtk_widget_grab_focus (self->conclude_button);
  else
    gtk_widget_grab_focus (self->next_button);
}

static void
show_step (SpElaboraPage *self,
           const char    *name)
{
  g_autoptr(GPtrArray) order = sp_elabora_page_order (self);
  const char *shown = g_ptr_array_index (order, 0);

  for (guint i = 0; name != NULL && i < order->len; i++)
    if (g_str_equal (g_ptr_array_index (order, i), name))
      shown = g_ptr_array_index (order, i);

  g_free (self->current);
  self->current = g_strdup (shown);
  g_hash_table_add (self->reached, g_strdup (shown));
  if (g_str_equal (shown, SP_ELABORA_SUMMARY))
    sp_elabora_page_build_summary (self);
  /* No focus while buttons come and go: GTK would hand it to a label. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    gtk_root_set_focus (gtk_widget_get_root (GTK_WIDGET (self)), NULL);
  gtk_stack_set_visible_child_name (self->step_stack, shown);
  update_position (self);
  focus_step (self);
}

static void
show_error_page (SpElaboraPage *self,
                 const char    *title,
                 const char    *description)
{
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "error");
  update_actions (self);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SpElaboraPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *resume = NULL;
  SpPraticaDetail *detail;

  detail = sp_client_get_pratica_finish (SP_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (detail == NULL)
    {
      show_error_page (self, _("Cannot Load the Application"), error->message);
      return;
    }
  g_clear_pointer (&self->detail, sp_pratica_detail_free);
  self->detail = detail;

  /* Translators: the window's subtitle; %s is the application's number */
  subtitle = g_strdup_printf (_("Application %s"), numero (self));
  adw_window_title_set_subtitle (self->window_title, subtitle);

  if (!detail->assigned_to_me || !sp_status_is_processable (sp_pratica_summary_get_data (detail->summary)->status))
    {
      show_error_page (self, _("The Application Cannot Be Processed"),
                       _("Only the operator in charge can process it, until it is concluded."));
      return;
    }

  if (self->summary_box == NULL)
    sp_elabora_page_build_steps (self);
  sp_response_upload_setup (self->response_upload, self->client, self->pratica_id,
                            detail->signed_response_required);
  sp_elabora_page_fill (self);
  update_saved_label (self);

  gtk_spinner_set_spinning (self->spinner, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "steps");
  resume = sp_elabora_page_resume_step (self);
  show_step (self, resume);
}

static void
reload (SpElaboraPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  update_actions (self);
  sp_client_get_pratica_async (self->client, self->pratica_id, self->cancellable, load_cb, g_object_ref (self));
}

static void
esito_toggled_cb (SpElaboraPage *self)
{
  if (!self->filling)
    {
      self->dirty = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self->esito_error), FALSE);
    }
  /* The steps that apply follow the outcome. */
  if (self->current != NULL)
    update_position (self);
}

static void
changed_cb (SpElaboraPage *self)
{
  if (!self->filling)
    self->dirty = TRUE;
}

static void
motivazione_changed_cb (SpElaboraPage *self)
{
  if (self->filling)
    return;
  self->dirty = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->motivazione_error), FALSE);
  gtk_widget_remove_css_class (self->motivazione_frame, "sp-error-frame");
}

/* Navigation */

static void
previous_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SpElaboraPage *self = SP_ELABORA_PAGE (widget);
  g_autoptr(GPtrArray) order = sp_elabora_page_order (self);

  for (guint i = 1; i < order->len; i++)
    if (g_str_equal (g_ptr_array_index (order, i), self->current))
      {
        show_step (self, g_ptr_array_index (order, i - 1));
        return;
      }
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SpElaboraPage *self = SP_ELABORA_PAGE (widget);
  g_autoptr(GPtrArray) order = sp_elabora_page_order (self);
  g_autoptr(JsonArray) errors = sp_elabora_page_check (self, self->current);
  g_autofree char *first = sp_elabora_page_show_errors (self, errors, self->current);

  /* What is wrong stays in view, next to its field. */
  if (json_array_get_length (errors) > 0)
    return;
  for (guint i = 0; i + 1 < order->len; i++)
    if (g_str_equal (g_ptr_array_index (order, i), self->current))
      {
        show_step (self, g_ptr_array_index (order, i + 1));
        return;
      }
}

/* Salva, and Concludi */

static void conclude_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data);

static void
show_refusal (SpElaboraPage *self,
              const char    *heading,
              const char    *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "close");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A 422 shows next to each field, from the first step with one. */
static void
show_field_errors (SpElaboraPage *self,
                   JsonArray     *field_errors)
{
  g_autofree char *first = sp_elabora_page_show_errors (self, field_errors, NULL);

  if (first != NULL)
    show_step (self, first);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(SpElaboraPage) self = user_data;
  g_autoptr(JsonArray) field_errors = NULL;
  g_autoptr(GError) error = NULL;
  gboolean concluding = self->concluding;
  SpPraticaDetail *detail;

  detail = sp_client_save_processing_finish (SP_CLIENT (object), result, &field_errors, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->concluding = FALSE;

  if (detail == NULL)
    {
      g_clear_object (&self->cancellable);
      self->close_after_save = FALSE;
      update_actions (self);
      if (field_errors != NULL)
        show_field_errors (self, field_errors);
      if (concluding)
        {
          g_autofree char *heading = NULL;

          /* Translators: %s is the application's number */
          heading = g_strdup_printf (_("Cannot Conclude Application %s"), numero (self));
          show_refusal (self, heading, error->message);
          return;
        }
      /* Field errors are next to their fields already. */
      if (field_errors == NULL)
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  g_clear_pointer (&self->detail, sp_pratica_detail_free);
  self->detail = detail;
  self->dirty = FALSE;
  update_saved_label (self);

  if (concluding)
    {
      sp_client_conclude_async (self->client, self->pratica_id, self->cancellable, conclude_cb, g_object_ref (self));
      return;
    }

  g_clear_object (&self->cancellable);
  update_actions (self);
  if (self->close_after_save)
    {
      g_signal_emit (self, signals[CLOSED], 0);
      return;
    }
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("Saved: the work resumes from here, also on another computer.")));
}

/* Sends the work as shown; @concluding goes on to conclude once it is saved. */
static void
save (SpElaboraPage *self,
      gboolean       concluding)
{
  g_autoptr(JsonArray) problems = json_array_new ();
  g_autoptr(SpProcessing) processing = sp_elabora_page_collect (self, problems);

  if (self->cancellable != NULL)
    return;
  if (json_array_get_length (problems) > 0)
    {
      show_field_errors (self, problems);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Correct the values marked in red, then save again.")));
      self->close_after_save = FALSE;
      return;
    }
  if (sp_response_upload_is_uploading (self->response_upload))
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Wait for the upload of the response file to end.")));
      self->close_after_save = FALSE;
      return;
    }

  self->cancellable = g_cancellable_new ();
  self->concluding = concluding;
  update_actions (self);
  sp_client_save_processing_async (self->client, self->pratica_id, processing, self->cancellable,
                                   save_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (SP_ELABORA_PAGE (widget), FALSE);
}

static void
conclude_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SpElaboraPage) self = user_data;
  g_autoptr(JsonArray) field_errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SpPraticaDetail) detail = NULL;
  g_autofree char *heading = NULL;

  detail = sp_client_conclude_finish (SP_CLIENT (object), result, &field_errors, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  update_actions (self);

  if (detail != NULL)
    {
      g_signal_emit (self, signals[CONCLUDED], 0);
      return;
    }

  g_debug ("Cannot conclude %s: %s", numero (self), error->message);
  if (field_errors != NULL)
    show_field_errors (self, field_errors);
  /* Translators: %s is the application's number */
  heading = g_strdup_printf (_("Cannot Conclude Application %s"), numero (self));
  show_refusal (self, heading, error->message);
}

static void
confirm_cb (AdwMessageDialog *dialog,
            const char       *response,
            SpElaboraPage    *self)
{
  if (g_strcmp0 (response, "conclude") == 0)
    save (self, TRUE);
}

static void
conclude_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SpElaboraPage *self = SP_ELABORA_PAGE (widget);
  g_autoptr(JsonArray) errors = sp_elabora_page_check (self, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  gboolean accepted = g_strcmp0 (sp_elabora_page_esito (self), SP_ESITO_ACCEPTED) == 0;
  g_autofree char *heading = NULL;
  GtkWidget *dialog;

  if (json_array_get_length (errors) > 0)
    {
      show_field_errors (self, errors);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Complete what is marked in red before concluding.")));
      return;
    }

  /* Translators: %s is the application's number */
  heading = g_strdup_printf (_("Conclude Application %s?"), numero (self));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   accepted
                                   ? _("The application will be accepted and the citizen will receive the response "
                                       "by e-mail. This cannot be undone.")
                                   : _("The application will be rejected and the citizen will receive the response "
                                       "with the motivation by e-mail. This cannot be undone."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "conclude", accepted ? _("_Accept and Conclude") : _("_Reject and Conclude"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "conclude",
                                              accepted ? ADW_RESPONSE_SUGGESTED : ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Leaving */

static void
leave_cb (AdwMessageDialog *dialog,
          const char       *response,
          SpElaboraPage    *self)
{
  if (g_strcmp0 (response, "discard") == 0)
    {
      g_signal_emit (self, signals[CLOSED], 0);
    }
  else if (g_strcmp0 (response, "save") == 0)
    {
      self->close_after_save = TRUE;
      save (self, FALSE);
    }
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SpElaboraPage *self = SP_ELABORA_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (!self->dirty || self->detail == NULL)
    {
      g_signal_emit (self, signals[CLOSED], 0);
      return;
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Save the Work?"),
                                   _("What changed since the last save is lost if you leave without saving."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (leave_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (SP_ELABORA_PAGE (widget));
}

static void
sp_elabora_page_dispose (GObject *object)
{
  SpElaboraPage *self = SP_ELABORA_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), SP_TYPE_ELABORA_PAGE);

  G_OBJECT_CLASS (sp_elabora_page_parent_class)->dispose (object);
}

static void
sp_elabora_page_finalize (GObject *object)
{
  SpElaboraPage *self = SP_ELABORA_PAGE (object);

  g_free (self->pratica_id);
  g_free (self->current);
  g_clear_pointer (&self->detail, sp_pratica_detail_free);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->reached, g_hash_table_unref);

  G_OBJECT_CLASS (sp_elabora_page_parent_class)->finalize (object);
}

static void
sp_elabora_page_class_init (SpElaboraPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sp_elabora_page_dispose;
  object_class->finalize = sp_elabora_page_finalize;

  /**
   * SpElaboraPage::closed:
   *
   * The user left the page (after saving or discarding what changed).
   */
  signals[CLOSED] = g_signal_new ("closed",
                                  G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);

  /**
   * SpElaboraPage::concluded:
   *
   * The pratica was concluded: its processing is over.
   */
  signals[CONCLUDED] = g_signal_new ("concluded",
                                     G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL,
                                     G_TYPE_NONE, 0);

  g_type_ensure (SP_TYPE_RESPONSE_UPLOAD);

  gtk_widget_class_set_template_from_resource (widget_class, "/it/sportello/Sportello/sp-elabora-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, stack);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, step_counter);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, step_title);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, step_bar);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, saved_label);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, step_stack);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, accept_row);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, reject_row);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, accept_check);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, reject_check);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, esito_error);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, motivazione_frame);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, motivazione_view);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, motivazione_error);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, response_upload);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, back_button);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, SpElaboraPage, conclude_button);

  gtk_widget_class_install_action (widget_class, "elabora.previous", NULL, previous_action);
  gtk_widget_class_install_action (widget_class, "elabora.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "elabora.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "elabora.conclude", NULL, conclude_action);
  gtk_widget_class_install_action (widget_class, "elabora.close", NULL, close_action);
  gtk_widget_class_install_action (widget_class, "elabora.reload", NULL, reload_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "elabora.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "elabora.close", NULL);
}

static void
sp_elabora_page_init (SpElaboraPage *self)
{
  sp_style_ensure ("sp-elabora.css");
  gtk_widget_init_template (GTK_WIDGET (self));

  /* One colour for the steps done, whatever their number. */
  gtk_level_bar_remove_offset_value (self->step_bar, GTK_LEVEL_BAR_OFFSET_LOW);
  gtk_level_bar_remove_offset_value (self->step_bar, GTK_LEVEL_BAR_OFFSET_HIGH);
  gtk_level_bar_remove_offset_value (self->step_bar, GTK_LEVEL_BAR_OFFSET_FULL);

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->reached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_signal_connect_object (self->accept_check, "toggled", G_CALLBACK (esito_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reject_check, "toggled", G_CALLBACK (esito_toggled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->motivazione_view), "changed",
                           G_CALLBACK (motivazione_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->response_upload, "changed", G_CALLBACK (changed_cb), self, G_CONNECT_SWAPPED);
  update_actions (self);
}

/**
 * sp_elabora_page_new:
 * @pratica_id: the UUID of a pratica in the signed-in operator's charge
 *
 * Returns: (transfer floating): a page that loads the pratica and resumes its
 *   work at once
 */
SpElaboraPage *
sp_elabora_page_new (SpClient   *client,
                     const char *pratica_id)
{
  SpElaboraPage *self;

  g_return_val_if_fail (SP_IS_CLIENT (client), NULL);
  g_return_val_if_fail (pratica_id != NULL, NULL);

  self = g_object_new (SP_TYPE_ELABORA_PAGE, NULL);
  self->client = g_object_ref (client);
  self->pratica_id = g_strdup (pratica_id);
  reload (self);
  return self;
}

/**
 * sp_elabora_page_get_step:
 *
 * Returns: (nullable): the name of the step shown: "esito", "risposta",
 *   "step:<key>" or "riepilogo"
 */
const char *
sp_elabora_page_get_step (SpElaboraPage *self)
{
  g_return_val_if_fail (SP_IS_ELABORA_PAGE (self), NULL);

  return self->current;
}

/**
 * sp_elabora_page_is_busy:
 *
 * Returns: whether the page waits for the server (loading, saving, concluding)
 */
gboolean
sp_elabora_page_is_busy (SpElaboraPage *self)
{
  g_return_val_if_fail (SP_IS_ELABORA_PAGE (self), FALSE);

  return self->cancellable != NULL;
}
