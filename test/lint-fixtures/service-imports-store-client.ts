// lint-as: src/teachers/probe.service.ts
import { Model } from 'mongoose';

export const probe = Model;
