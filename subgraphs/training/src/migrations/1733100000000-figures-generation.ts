import { generationMigration } from '@nimo/kit';

/**
 * A generation number for the training figures: every committed change to staff, enrolments,
 * sessions or courses advances it, and the subgraph reuses the national figures of a fiscal year
 * until it moves.
 */
export const TrainingFiguresGeneration1733100000000 = generationMigration('TrainingFiguresGeneration1733100000000', {
  staff_figures: 'staff_member',
  enrolment_figures: 'enrolment',
  session_figures: 'training_session',
  course_figures: 'course',
});
