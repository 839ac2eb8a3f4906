export * from './lesson-calendar';
export * from './icalendar';
